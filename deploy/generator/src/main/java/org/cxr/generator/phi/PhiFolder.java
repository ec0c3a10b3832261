package org.cxr.generator.phi;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.cxr.dicom.Dataset;
import org.cxr.dicom.DicomException;
import org.cxr.dicom.DicomFile;
import org.cxr.dicom.DicomReader;
import org.cxr.dicom.DicomWriter;
import org.cxr.dicom.Tag;
import org.cxr.dicom.VR;
import org.cxr.generator.GeneratedInstance;
import org.cxr.generator.GeneratorOptions;
import org.cxr.generator.StudyGenerator;
import org.cxr.generator.ids.Seeds;
import org.cxr.generator.ids.Uids;
import org.cxr.generator.image.EncodedSyntax;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes the PHI corpus as a hospital's PACS export: {@code export/<StudyInstanceUID>/<n>.dcm} and
 * {@code export/<StudyInstanceUID>.txt} (ingest's folder layout), where each DICOM is a real public
 * chest radiograph (from a source folder such as ../shared/data/dicom/chest) or, without one, a
 * small synthetic one, given the study's patient identity in its headers; beside it
 * {@code gold.jsonl} (one report per line: text, gold spans, patient, DICOM values) and
 * {@code identifiers.tsv} (every planted string a leak scan looks for, {@link PlantedIdentifiers}).
 */
public final class PhiFolder {
    /** What was written. */
    public record Written(Path export, Path gold, Path identifiers, int studies, int instances, boolean realDicoms,
                          List<PhiReport> reports, List<PlantedIdentifiers.Needle> needles) {
    }

    /** A private element with identifiers, as some modalities write: private groups must go. */
    private static final int PRIVATE_CREATOR = Tag.of(0x0029, 0x0010);
    private static final int PRIVATE_COMMENT = Tag.of(0x0029, 0x1010);

    private PhiFolder() {
    }

    /**
     * @param dicomSource a folder of DICOM files to re-identify, or null for synthetic images
     */
    public static Written write(Path out, long seed, int studies, Path dicomSource) throws IOException {
        Files.createDirectories(out);
        try (Stream<Path> existing = Files.list(out)) {
            if (existing.findAny().isPresent()) {
                throw new IOException(out + " is not empty: the generator writes into an empty folder");
            }
        }
        List<byte[]> sources = dicomSource == null ? List.of() : readSources(dicomSource);
        Path export = out.resolve("export");
        List<PhiReport> reports = PhiCorpus.generate(seed, studies);
        StudyGenerator synthetic = new StudyGenerator(seed, GeneratorOptions.defaults().withMaxSize(128, 128)
                .withSyntaxes(EnumSet.of(EncodedSyntax.EXPLICIT_VR_LE)));
        var syntheticStudies = synthetic.iterator();
        int instances = 0;
        for (PhiReport r : reports) {
            SplittableRandom rnd = Seeds.random(seed, "phi-dicom", r.index());
            int count = 1 + (rnd.nextInt(3) == 0 ? 1 : 0);
            List<GeneratedInstance> generated = sources.isEmpty() ? syntheticStudies.next().instances() : List.of();
            for (int i = 0; i < count; i++) {
                byte[] source = sources.isEmpty() ? generated.get(i % generated.size()).bytes()
                        : sources.get(rnd.nextInt(sources.size()));
                Path file = export.resolve(r.studyInstanceUid()).resolve((i + 1) + ".dcm");
                Files.createDirectories(file.getParent());
                Files.write(file, identified(source, r, seed, i));
                instances++;
            }
            Files.writeString(export.resolve(r.studyInstanceUid() + ".txt"), r.text(), StandardCharsets.UTF_8);
        }
        Path gold = out.resolve("gold.jsonl");
        ObjectMapper json = new ObjectMapper();
        try (Writer w = Files.newBufferedWriter(gold, StandardCharsets.UTF_8)) {
            for (PhiReport r : reports) {
                w.write(json.writeValueAsString(goldLine(r)));
                w.write('\n');
            }
        }
        List<PlantedIdentifiers.Needle> needles = PlantedIdentifiers.of(reports);
        Path identifiers = out.resolve("identifiers.tsv");
        Files.write(identifiers, PlantedIdentifiers.tsv(needles), StandardCharsets.UTF_8);
        return new Written(export, gold, identifiers, reports.size(), instances, !sources.isEmpty(), reports, needles);
    }

    /** The chest DICOMs of a folder that libs/dicom reads (sorted by name, so the choice is deterministic). */
    static List<byte[]> readSources(Path dir) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                byte[] bytes = Files.readAllBytes(f);
                try {
                    DicomFile d = DicomReader.read(bytes);
                    if (d.pixelData() != null) {
                        out.add(bytes);
                    }
                } catch (DicomException e) {
                    // not a DICOM we can rewrite: skipped
                }
            }
        }
        if (out.isEmpty()) {
            throw new IOException("no readable DICOM file with pixel data in " + dir);
        }
        return out;
    }

    /**
     * A DICOM file of {@code source}'s image with the report's patient identity, hospital values and
     * the UIDs the folder would give instance {@code instance} of it (for feeding a study over REST).
     */
    public static byte[] identified(byte[] source, PhiReport r, long seed, int instance) {
        return identify(source, r, Uids.of(seed, "phi-series", r.index(), instance),
                Uids.of(seed, "phi-instance", r.index(), instance));
    }

    /** The source image with the report's patient identity, hospital values and new UIDs in its headers. */
    private static byte[] identify(byte[] source, PhiReport r, String seriesUid, String instanceUid) {
        DicomFile file;
        try {
            file = DicomReader.read(source);
        } catch (DicomException e) {
            throw new IllegalArgumentException("source DICOM unreadable: " + e.getMessage(), e);
        }
        Dataset ds = file.dataset();
        ds.putString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        for (PhiReport.DicomValue v : r.dicom()) {
            ds.putString(Tag.forKeyword(v.keyword()), v.value());
        }
        ds.putString(Tag.StudyInstanceUID, VR.UI, r.studyInstanceUid());
        ds.putString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
        ds.putString(Tag.SOPInstanceUID, VR.UI, instanceUid);
        ds.putString(PRIVATE_CREATOR, VR.LO, "CXR PHI CORPUS");
        ds.putString(PRIVATE_COMMENT, VR.LO, r.patient().dicomName() + " " + r.patient().mrn());
        return DicomWriter.toBytes(ds, file.transferSyntax().uid());
    }

    private static Map<String, Object> goldLine(PhiReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", r.index());
        m.put("studyInstanceUid", r.studyInstanceUid());
        m.put("text", r.text());
        PhiPatient p = r.patient();
        Map<String, Object> patient = new LinkedHashMap<>();
        patient.put("family", p.family());
        patient.put("given", p.given());
        patient.put("middle", p.middle());
        patient.put("sex", p.sex());
        patient.put("birthDate", p.birthDate().toString());
        patient.put("mrn", p.mrn());
        patient.put("issuer", p.issuer());
        patient.put("ssn", p.ssn());
        patient.put("address", p.street() + ", " + p.city() + ", " + p.state() + " " + p.zip());
        patient.put("phone", p.phone());
        m.put("patient", patient);
        m.put("nameTokens", r.patient().nameTokens());
        m.put("accession", r.accession());
        m.put("spans", r.spans());
        m.put("studyDate", r.studyDate().toString());
        m.put("institution", r.institution());
        m.put("dicom", r.dicom());
        return m;
    }
}
