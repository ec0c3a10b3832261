package org.cxr.generator;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Period;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.cxr.dicom.UID;
import org.cxr.generator.identity.Identities;
import org.cxr.generator.ids.ResearchIds;
import org.cxr.generator.ids.Seeds;
import org.cxr.generator.ids.Uids;
import org.cxr.generator.image.EncodedSyntax;
import org.cxr.generator.image.ImageSpec;
import org.cxr.generator.report.ReportComposer;
import org.cxr.generator.report.ReportTemplates;

/**
 * Generates chest X-ray studies, deterministically from a seed: the n-th study of a seed is the same
 * whatever is generated after it and whatever size options are given (options change how draws are
 * used, never which draws are made). Studies come in patient order: a patient's studies follow each
 * other, in chronological order. Generating a study is cheap (headers and report); pixels and file
 * bytes are made when an instance's {@link GeneratedInstance#bytes()} is called.
 * <p>Distributions (MIMIC-CXR where it publishes them): studies per patient geometric with mean
 * {@link GeneratorOptions#studiesPerSubject()} (MIMIC 3.48); images per study 1–4 with mean ≈ 1.66
 * and ≈ 67 % frontal (MIMIC 1.66 and 67 %); frontal images 2500–3056 × 2000–3056 pixels.
 */
public final class StudyGenerator implements Iterable<GeneratedStudy> {
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;
    private static final LocalDate FIRST_DAY = LocalDate.of(2012, 1, 1);
    private static final int DAYS = 4200;
    private static final int MAX_STUDIES_PER_SUBJECT = 200;

    private final long seed;
    private final GeneratorOptions options;
    private final ResearchIds researchIds;
    private final Identities identities = Identities.get();
    private final ReportComposer reports = new ReportComposer(ReportTemplates.get());

    public StudyGenerator(long seed, GeneratorOptions options) {
        this.seed = seed;
        this.options = options;
        this.researchIds = new ResearchIds(seed);
    }

    /** The endless sequence of studies, in order. */
    @Override
    public Iterator<GeneratedStudy> iterator() {
        return new Iterator<>() {
            private long subjectIndex = -1;
            private Subject subject;
            private int ofSubject;
            private long studyIndex;

            @Override
            public boolean hasNext() {
                return studyIndex < ResearchIds.RANGE;
            }

            @Override
            public GeneratedStudy next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("at most " + ResearchIds.RANGE + " studies per seed");
                }
                if (subject == null || ofSubject == subject.studyDates.size()) {
                    subject = subject(++subjectIndex);
                    ofSubject = 0;
                }
                return study(studyIndex++, subject, ofSubject++);
            }
        };
    }

    /** The first {@code count} studies, as an ordered sequential stream. */
    public Stream<GeneratedStudy> studies(long count) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED), false)
                .limit(count);
    }

    /** A patient: identity, where they are imaged, and the dates of all their studies. */
    private record Subject(long index, String subjectId, String sex, Identities.PersonName name, String mrn,
                           Identities.Institution institution, LocalDate birthDate, String address, String phone,
                           List<LocalDate> studyDates, long shiftDays) {
    }

    private Subject subject(long index) {
        SplittableRandom r = Seeds.random(seed, "subject", index);
        double p = 1.0 / options.studiesPerSubject();
        int studies = p >= 1.0 ? 1
                : (int) Math.min(MAX_STUDIES_PER_SUBJECT, 1 + Math.floor(Math.log(1 - r.nextDouble()) / Math.log(1 - p)));
        String sex = r.nextInt(200) == 0 ? "O" : r.nextBoolean() ? "F" : "M";
        Identities.PersonName name = identities.person(sex, r);
        String mrn = Integer.toString(1_000_000 + r.nextInt(9_000_000));
        Identities.Institution institution = identities.institution(r);
        LocalDate first = FIRST_DAY.plusDays(r.nextInt(DAYS));
        LocalDate birth = first.minusYears(18 + r.nextInt(78)).minusDays(r.nextInt(365));
        String address = identities.address(r);
        String phone = "(" + (200 + r.nextInt(800)) + ") 555-" + String.format(Locale.ROOT, "%04d", r.nextInt(10000));
        List<LocalDate> dates = new ArrayList<>(studies);
        LocalDate d = first;
        for (int i = 0; i < studies; i++) {
            dates.add(d);
            // ICU patients are imaged daily or twice a day; others months apart.
            d = d.plusDays(r.nextInt(8) == 0 ? r.nextInt(2) : 1 + (long) (-Math.log(1 - r.nextDouble()) * 150));
        }
        // Without PHI, dates are shifted per patient into 2100–2200 as in MIMIC (chronology kept).
        LocalDate shiftedFirst = LocalDate.of(2110 + r.nextInt(70), 1, 1).plusDays(r.nextInt(365));
        long shift = ChronoUnit.DAYS.between(first, shiftedFirst);
        return new Subject(index, researchIds.subjectId(index), sex, name, mrn, institution, birth, address, phone,
                List.copyOf(dates), shift);
    }

    /** The views of a study and the procedure that produced them. */
    private record Views(String procedure, String procedureCode, boolean portable, List<String> positions) {
        /** The report-templates.txt slot that describes the technique. */
        String techniqueSlot() {
            return portable ? "portable-technique" : positions.size() == 1 ? "single-technique" : "normal-technique";
        }
    }

    private static Views views(SplittableRandom r) {
        double u = r.nextDouble();
        boolean pa = r.nextInt(10) != 0;
        String frontal = pa ? "PA" : "AP";
        String lateral = r.nextInt(5) < 3 ? "LL" : "LATERAL";
        if (u < 0.50) {
            boolean portable = r.nextInt(10) < 7;
            if (portable) {
                boolean line = r.nextInt(7) == 0;
                return new Views(line ? "CHEST PORT. LINE PLACEMENT" : "CHEST (PORTABLE AP)",
                        line ? "CXRPORTLINE" : "CXRPORT", true, List.of("AP"));
            }
            return new Views("CHEST (SINGLE VIEW)", "CXR1V", false, List.of("PA"));
        }
        boolean preOp = r.nextInt(10) == 0;
        String procedure = preOp ? "CHEST (PRE-OP PA AND LAT)" : "CHEST (PA AND LAT)";
        String code = preOp ? "CXRPREOP" : "CXR2V";
        if (u < 0.88) {
            return new Views(procedure, code, false, List.of(frontal, lateral));
        }
        if (u < 0.94) {
            return new Views(procedure, code, false, List.of(frontal, frontal, lateral));
        }
        if (u < 0.96) {
            return new Views(procedure, code, false, List.of(frontal, lateral, lateral));
        }
        return new Views(procedure, code, false, List.of(frontal, lateral, frontal, lateral));
    }

    private GeneratedStudy study(long index, Subject subject, int ofSubject) {
        SplittableRandom r = Seeds.random(seed, "study", index);
        boolean phi = options.phi();
        LocalDate realDate = subject.studyDates().get(ofSubject);
        LocalDate date = phi ? realDate : realDate.plusDays(subject.shiftDays());
        LocalDate prior = ofSubject == 0 ? null : subject.studyDates().get(ofSubject - 1).plusDays(phi ? 0 : subject.shiftDays());
        LocalTime time = LocalTime.of(r.nextInt(24), r.nextInt(60), r.nextInt(60), r.nextInt(1_000_000) * 1000);
        String studyTime = tm(time, r.nextInt(20));
        int age = Period.between(subject.birthDate(), realDate).getYears();
        Views views = views(r);
        Identities.Device device = identities.device(r);
        String deviceSerial = Integer.toString(100000 + r.nextInt(900000));
        String station = identities.pick("station", r);
        Identities.PersonName referring = identities.person("", r);
        Identities.PersonName operator = identities.person("", r);
        Identities.PersonName radiologist = identities.person("", r);
        String accession = Long.toString(10_000_000L + r.nextInt(90_000_000));
        String dicomStudyId = Integer.toString(1 + r.nextInt(99999));
        String studyId = researchIds.studyId(index);
        String studyUid = Uids.of(seed, "study", index);

        Patient patient = phi
                ? new Patient(subject.name().dicom(), subject.mrn(), subject.institution().issuer(),
                DA.format(subject.birthDate()), subject.sex(), subject.address(), subject.phone())
                : new Patient("", subject.subjectId(), null, "", subject.sex(), "", "");
        GeneratedInstance.StudyHeader header = new GeneratedInstance.StudyHeader(
                patient, String.format(Locale.ROOT, "%03dY", age), studyUid, DA.format(date), studyTime,
                phi ? accession : "", phi ? dicomStudyId : "", phi ? referring.dicom() : "", phi ? operator.dicom() : "",
                phi ? subject.institution().name() : null, subject.institution().address(),
                views.procedure(), views.procedureCode(), station, device, deviceSerial);

        List<GeneratedInstance> instances = new ArrayList<>();
        for (int i = 0; i < views.positions().size(); i++) {
            instances.add(instance(r, header, index, i, views, time));
        }
        ReportComposer.Report report = reports.compose(new ReportComposer.Context(
                views.procedure(), views.techniqueSlot(), age, subject.sex(), date, time, prior, subject.mrn(),
                radiologist, referring, phi), r);
        return new GeneratedStudy(index, subject.subjectId(), studyId, patient, studyUid, header.accessionNumber(),
                header.studyDate(), studyTime, views.procedure(), instances, report.text(), report.key(),
                report.labelledText());
    }

    private GeneratedInstance instance(SplittableRandom r, GeneratedInstance.StudyHeader header, long studyIndex,
                                       int i, Views views, LocalTime studyTime) {
        String position = views.positions().get(i);
        boolean frontal = position.equals("PA") || position.equals("AP");
        boolean cr = header.device().modality().equals("CR");

        // Draws are made unconditionally so that options never shift the random sequence.
        int rows = 2500 + r.nextInt(557);
        int columns = frontal ? 2000 + r.nextInt(1057) : 2000 + r.nextInt(801);
        // A JPEG-only run makes every image 8-bit, the only depth JPEG baseline holds.
        boolean eightBit = r.nextInt(100) < 8 || options.syntaxes().equals(Set.of(EncodedSyntax.JPEG_BASELINE));
        int bitsStored = cr ? (r.nextBoolean() ? 10 : 12) : new int[]{12, 12, 14, 15, 16}[r.nextInt(5)];
        boolean signed = r.nextInt(100) < 5;
        boolean mono1 = r.nextInt(100) < (cr ? 60 : 15);
        double syntaxDraw = r.nextDouble();
        boolean viewMissing = r.nextInt(100) == 0;
        boolean viewCodeMissing = r.nextInt(100) < 3;
        boolean orientationMissing = r.nextInt(100) < 5;
        boolean erect = !views.portable() || r.nextInt(10) < 4;
        boolean plainLateral = r.nextBoolean();
        String spacing = new String[]{"0.139", "0.143", "0.148", "0.15", "0.16", "0.175"}[r.nextInt(6)];

        int bitsAllocated = eightBit ? 8 : 16;
        bitsStored = eightBit ? 8 : bitsStored;
        int pixelRepresentation = signed && !eightBit ? 1 : 0;
        int[] size = size(rows, columns, bitsAllocated / 8);
        EncodedSyntax syntax = syntax(syntaxDraw, bitsAllocated == 8 && pixelRepresentation == 0);
        ImageSpec image = new ImageSpec(size[0], size[1], bitsAllocated, bitsStored, pixelRepresentation,
                mono1 ? ImageSpec.MONOCHROME1 : ImageSpec.MONOCHROME2, frontal, syntax);

        String viewMeaning = switch (position) {
            case "PA" -> "postero-anterior";
            case "AP" -> "antero-posterior";
            case "LL" -> plainLateral ? "lateral" : "left lateral";
            default -> "lateral";
        };
        return new GeneratedInstance(header, i + 1, researchIds.dicomId(studyIndex, i),
                cr ? UID.COMPUTED_RADIOGRAPHY_IMAGE_STORAGE : UID.DIGITAL_XRAY_IMAGE_STORAGE_FOR_PRESENTATION,
                Uids.of(seed, "instance", studyIndex, i), Uids.of(seed, "series", studyIndex, i),
                tm(studyTime.plusSeconds(20L + 40L * i), i % 2 == 0 ? 0 : 10),
                viewMissing ? "" : position,
                viewCodeMissing ? null : viewMeaning,
                orientationMissing ? null : erect ? "Erect" : "Recumbent",
                spacing, image, Seeds.derive(seed, "pixels", studyIndex, i));
    }

    /** Rows and columns after the size options: a cap scales the image down keeping its aspect. */
    private int[] size(int rows, int columns, int bytesPerSample) {
        double scale = 1.0;
        if (options.targetInstanceBytes() > 0) {
            long pixelBytes = Math.max(256, options.targetInstanceBytes() - 4096); // header ≈ 3–4 KB
            scale = Math.sqrt((double) pixelBytes / ((long) rows * columns * bytesPerSample));
        }
        if (options.maxRows() > 0) {
            scale = Math.min(scale, (double) options.maxRows() / rows);
        }
        if (options.maxColumns() > 0) {
            scale = Math.min(scale, (double) options.maxColumns() / columns);
        }
        return new int[]{
                Math.max(16, Math.min(65535, (int) Math.round(rows * scale))),
                Math.max(16, Math.min(65535, (int) Math.round(columns * scale)))};
    }

    /** Picks a syntax with the configured weights; a target size allows only uncompressed ones (options ensure one is left). */
    private EncodedSyntax syntax(double draw, boolean jpegPossible) {
        List<EncodedSyntax> allowed = new ArrayList<>();
        for (EncodedSyntax s : EncodedSyntax.values()) {
            if (options.syntaxes().contains(s) && (s != EncodedSyntax.JPEG_BASELINE || jpegPossible)
                    && (options.targetInstanceBytes() == 0 || s.uncompressed())) {
                allowed.add(s);
            }
        }
        double total = allowed.stream().mapToInt(EncodedSyntax::weight).sum();
        double x = draw * total;
        for (EncodedSyntax s : allowed) {
            x -= s.weight();
            if (x < 0) {
                return s;
            }
        }
        return allowed.get(allowed.size() - 1);
    }

    /**
     * DICOM TM: HHMMSS, with a fraction of 3 digits (half the time), 6 digits (one in ten) or none —
     * times before 10:00 keep their leading zero.
     */
    private static String tm(LocalTime t, int fractionDraw) {
        String s = String.format(Locale.ROOT, "%02d%02d%02d", t.getHour(), t.getMinute(), t.getSecond());
        int micros = t.getNano() / 1000;
        if (fractionDraw < 10) {
            return s + String.format(Locale.ROOT, ".%03d", micros / 1000);
        }
        if (fractionDraw < 12) {
            return s + String.format(Locale.ROOT, ".%06d", micros);
        }
        return s;
    }
}
