package org.cxr.generator.phi;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cxr.generator.identity.Lists;
import org.cxr.generator.phi.PhiReport.DicomValue;

/**
 * Writes the PHI corpus's dictations: the frame of a radiology report (a registration header
 * sometimes, EXAMINATION, INDICATION, TECHNIQUE, COMPARISON, FINDINGS, IMPRESSION, NOTIFICATION,
 * signatures, contact lines) filled with the sentences of {@code dictation.txt}, whose slots plant
 * identifiers in the forms radiologists and RIS systems write them, next to clinical text that
 * must survive. Written from how reports look, not from any scrubber's rules.
 */
final class DictationComposer {
    private static final Pattern MARKUP = Pattern.compile("\\{([a-z_0-9]+)(?::([a-z_]+))?}|\\[([ELWN]):([^]]+)]");
    private static final Map<String, PhiKind> KEEP = Map.of("E", PhiKind.KEEP_EPONYM, "L", PhiKind.KEEP_LATERALITY,
            "W", PhiKind.KEEP_WORD, "N", PhiKind.KEEP_NUMBER);
    // after the study generator's dates (2012 to mid-2023), so a leak scan never mistakes one for the other
    private static final LocalDate FIRST_STUDY_DAY = LocalDate.of(2024, 1, 1);
    private static final String[] DIGIT_WORDS = {"ninety", "ninety-one", "ninety-two", "ninety-three", "ninety-four",
            "ninety-five", "ninety-six", "ninety-seven", "ninety-eight", "ninety-nine"};

    private final Map<String, List<String>> vocabulary = Lists.load(DictationComposer.class, "vocabulary.txt");
    private final Map<String, List<String>> sentences = Lists.load(DictationComposer.class, "dictation.txt");

    /** Who and what one report is about. */
    private record Cast(PhiPatient patient, int age, Institution hospital, Institution outside, String accession,
                        LocalDate studyDate, LocalDate priorDate, LocalTime studyTime, List<Person> doctors,
                        Person radiologist, Person resident, Person nurse, Person assistant, Person technologist,
                        Person relative, String encounter) {
    }

    record Institution(String name, String domain) {
    }

    PhiReport compose(int index, String studyInstanceUid, SplittableRandom r) {
        Cast c = cast(r);
        Dictation d = new Dictation();
        if (r.nextInt(10) < 4) {
            List<String> lines = shuffled(sentences.get("header"), r);
            int n = 2 + r.nextInt(3);
            for (String line : lines.subList(0, n)) {
                d.raw(" ");
                render(d, line, List.of("header"), c, r);
                d.endParagraph(false, 1, "");
            }
            d.raw(" \n");
        }
        if (r.nextInt(10) < 7) {
            d.raw("                                 FINAL REPORT\n");
        }
        section(d, "EXAMINATION", pick("exam", r), c, r);
        section(d, "INDICATION", pick("indication", r), c, r);
        if (r.nextBoolean()) {
            section(d, "TECHNIQUE", pick("technique", r), c, r);
        }
        section(d, "COMPARISON", pick("comparison", r), c, r);

        d.raw(" FINDINGS: \n \n ");
        for (String s : shuffled(sentences.get("findings"), r).subList(0, 3 + r.nextInt(3))) {
            render(d, s, List.of(), c, r);
            d.add("  ");
        }
        d.endParagraph(true, 1, " \n");

        d.raw(r.nextInt(8) == 0 ? " CONCLUSION: \n \n " : " IMPRESSION: \n \n ");
        for (String s : shuffled(sentences.get("impression"), r).subList(0, 1 + r.nextInt(2))) {
            render(d, s, List.of(), c, r);
            d.add(" ");
        }
        if (r.nextInt(10) < 4) {
            render(d, pick("notification", r), List.of("in_impression"), c, r);
        }
        d.endParagraph(true, 1, " \n");
        if (r.nextInt(10) < 4) {
            section(d, "NOTIFICATION", pick("notification", r), c, r);
        }
        if (r.nextInt(10) < 8) {
            for (String s : shuffled(sentences.get("signature"), r).subList(0, 1 + r.nextInt(3))) {
                d.raw(" ");
                render(d, s, List.of(), c, r);
                d.endParagraph(false, 1, "");
            }
        }
        if (r.nextInt(10) < 3) {
            d.raw(" \n ");
            render(d, pick("contact", r), List.of(), c, r);
            d.endParagraph(true, 1, "");
        }
        Dictation.PhiReportText t = d.finish(r.nextInt(100) < 12);
        return new PhiReport(index, studyInstanceUid, t.text(), t.spans(), c.patient(), c.accession(), c.studyDate(),
                c.hospital().name(), dicomValues(c, r));
    }

    private void section(Dictation d, String name, String sentence, Cast c, SplittableRandom r) {
        String head = " " + name + ":  ";
        d.raw(head);
        render(d, sentence, name.equals("COMPARISON") ? List.of("comparison") : List.of(), c, r);
        d.endParagraph(true, head.length(), " \n");
    }

    /** Renders a template sentence into the open paragraph. */
    private void render(Dictation d, String template, List<String> context, Cast c, SplittableRandom r) {
        Matcher m = MARKUP.matcher(template);
        int last = 0;
        while (m.find()) {
            d.add(template.substring(last, m.start()));
            if (m.group(1) != null) {
                List<String> tags = new ArrayList<>(context);
                if (m.group(2) != null) {
                    tags.add(m.group(2));
                }
                slot(d, m.group(1), tags, c, r);
            } else {
                d.span(KEEP.get(m.group(3)), List.of(), m.group(4));
            }
            last = m.end();
        }
        d.add(template.substring(last));
    }

    private void slot(Dictation d, String slot, List<String> tags, Cast c, SplittableRandom r) {
        switch (slot) {
            case "pt" -> name(d, PhiKind.PATIENT_NAME, patientForm(c, r), tags);
            case "pt_inverted" -> name(d, PhiKind.PATIENT_NAME, patientPerson(c).inverted(r), tags);
            case "pt_inverted_caps" -> name(d, PhiKind.PATIENT_NAME, upper(patientPerson(c).inverted(r)), tags);
            case "doc" -> name(d, PhiKind.NAME, one(c.doctors(), r).doctor(r), tags);
            case "doc_caps" -> name(d, PhiKind.NAME, one(c.doctors(), r).doctorCaps(r), tags);
            case "person" -> name(d, PhiKind.NAME, one(c.doctors(), r).plain(r), tags);
            case "person_inverted" -> name(d, PhiKind.NAME, c.resident().inverted(r), tags);
            case "family_only" -> {
                Person p = one(c.doctors(), r);
                name(d, PhiKind.NAME, new Person.Written("", p.family(), "", List.of(p.category(), "surname_only")), tags);
            }
            case "sig" -> name(d, PhiKind.NAME, (r.nextBoolean() ? c.radiologist() : c.resident()).signature(r), tags);
            case "sig_caps" -> name(d, PhiKind.NAME, c.radiologist().signatureCaps(r), tags);
            case "rn" -> name(d, PhiKind.NAME, c.nurse().nurse(r), tags);
            case "pa" -> name(d, PhiKind.NAME, c.assistant().physicianAssistant(r), tags);
            case "tech" -> name(d, PhiKind.NAME, c.technologist().technologist(r), tags);
            case "initials_only" -> name(d, PhiKind.NAME, c.resident().initialsOnly(r), tags);
            case "family_member" -> name(d, PhiKind.NAME, c.relative().plain(r), with(tags, "relative"));
            case "date" -> date(d, studyOrPrior(c, tags, r), r.nextInt(3), tags, r);
            case "date_y" -> date(d, studyOrPrior(c, tags, r), 0, tags, r);
            case "date_ny" -> date(d, c.priorDate(), 1, tags, r);
            case "month_year" -> d.span(PhiKind.DATE, with(tags, "month_year"),
                    c.priorDate().format(DateTimeFormatter.ofPattern(r.nextBoolean() ? "MMMM yyyy" : "MM/yyyy", Locale.US)));
            case "dob" -> date(d, c.patient().birthDate(), 0, with(tags, "birth_date"), r);
            case "time" -> d.add(c.studyTime().plusMinutes(r.nextInt(180))
                    .format(DateTimeFormatter.ofPattern(r.nextBoolean() ? "h:mm a" : "HH:mm", Locale.US)));
            case "age", "age90" -> age(d, c.age(), tags, r);
            case "age_header" -> d.span(c.age() >= 90 ? PhiKind.AGE : PhiKind.KEEP_NUMBER, with(tags, "header"),
                    r.nextBoolean() ? String.format(Locale.ROOT, "%03dY", c.age()) : Integer.toString(c.age()));
            case "sex" -> d.add(sexWord(c.patient().sex(), r));
            case "sex_letter" -> d.add(c.patient().sex());
            case "mrn" -> d.span(PhiKind.MRN, tags, mrnForm(c.patient().mrn(), r));
            case "acc" -> d.span(PhiKind.ACCESSION, tags, c.accession());
            case "ssn" -> d.span(PhiKind.SSN, tags, ssnForm(c.patient().ssn(), r));
            case "encounter" -> d.span(PhiKind.ID, with(tags, "encounter"), c.encounter());
            case "insurance" -> d.span(PhiKind.ID, with(tags, "insurance"), insuranceId(r));
            case "phone" -> d.span(PhiKind.PHONE, tags, phoneForm(randomPhone(r), r));
            case "home_phone" -> d.span(PhiKind.PHONE, with(tags, "home"), c.patient().phone());
            case "fax" -> d.span(PhiKind.PHONE, with(tags, "fax"), phoneForm(randomPhone(r), r));
            case "pager" -> pager(d, tags, false, r);
            case "pager_caps" -> pager(d, tags, true, r);
            case "ext" -> {
                String n = Integer.toString(4 + r.nextInt(5)) + (1000 + r.nextInt(9000));
                d.add(r.nextBoolean() ? "ext. " : "x").span(PhiKind.PHONE, with(tags, "extension"),
                        r.nextBoolean() ? n : n.charAt(0) + "-" + n.substring(1));
            }
            case "addr" -> {
                PhiPatient p = c.patient();
                d.span(PhiKind.ADDRESS, tags, p.street()).add(", ").span(PhiKind.LOCATION, tags, p.city())
                        .add(", ").span(PhiKind.LOCATION, with(tags, "state"), p.state()).add(" ")
                        .span(PhiKind.ZIP, tags, p.zip());
            }
            case "email" -> d.span(PhiKind.EMAIL, tags, email(one(c.doctors(), r), c.hospital(), r));
            case "url" -> d.span(PhiKind.URL, tags, url(c, r));
            case "inst" -> d.span(PhiKind.INSTITUTION, tags, c.hospital().name());
            case "inst_caps" -> d.span(PhiKind.INSTITUTION, with(tags, "caps"), c.hospital().name().toUpperCase(Locale.ROOT));
            case "osh" -> d.span(PhiKind.INSTITUTION, tags, r.nextInt(4) == 0
                    ? c.outside().name().toUpperCase(Locale.ROOT) : c.outside().name());
            default -> throw new IllegalStateException("dictation.txt: unknown slot {" + slot + "}");
        }
    }

    /** A comparison names an earlier study; elsewhere a date is the study's or the prior one's. */
    private static LocalDate studyOrPrior(Cast c, List<String> tags, SplittableRandom r) {
        return tags.contains("comparison") || r.nextBoolean() ? c.priorDate() : c.studyDate();
    }

    private static void name(Dictation d, PhiKind kind, Person.Written w, List<String> context) {
        List<String> tags = new ArrayList<>(w.tags());
        tags.addAll(context);
        d.add(w.before()).span(kind, tags, w.name()).add(w.after());
    }

    private static Person patientPerson(Cast c) {
        PhiPatient p = c.patient();
        return new Person(p.given(), p.middle(), p.family(), "patient");
    }

    private static Person.Written patientForm(Cast c, SplittableRandom r) {
        PhiPatient p = c.patient();
        Person person = patientPerson(c);
        return switch (r.nextInt(4)) {
            case 0 -> new Person.Written("F".equals(p.sex()) ? "Ms. " : "Mr. ", p.family(), "", List.of("title_mr_ms", "surname_only"));
            case 1 -> person.plain(r);
            case 2 -> new Person.Written("", p.given() + " " + p.family(), "", List.of("full"));
            default -> person.inverted(r);
        };
    }

    private static Person.Written upper(Person.Written w) {
        List<String> tags = new ArrayList<>(w.tags());
        tags.add("caps");
        return new Person.Written(w.before(), w.name().toUpperCase(Locale.ROOT), w.after(), tags);
    }

    /** @param yearMode 0 with a year, 1 without, 2 either */
    private static void date(Dictation d, LocalDate date, int yearMode, List<String> tags, SplittableRandom r) {
        boolean year = yearMode == 0 || yearMode == 2 && r.nextBoolean();
        String[][] withYear = {
                {"MM/dd/yyyy", "numeric"}, {"M/d/yy", "numeric_short"}, {"MM-dd-yyyy", "numeric_dash"},
                {"yyyy-MM-dd", "iso"}, {"MMMM d, yyyy", "month_name"}, {"MMM d, yyyy", "month_abbr"},
                {"d MMMM yyyy", "day_month"}, {"MMM. d, yyyy", "month_abbr"}};
        String[][] noYear = {{"M/d", "numeric_no_year"}, {"MMMM d", "month_name_no_year"},
                {"MMM d", "month_abbr_no_year"}, {"MM/dd", "numeric_no_year"}};
        String[] f = year ? withYear[r.nextInt(withYear.length)] : noYear[r.nextInt(noYear.length)];
        String s = date.format(DateTimeFormatter.ofPattern(f[0], Locale.US));
        if (f[0].equals("MMMM d") && r.nextBoolean()) {
            int day = date.getDayOfMonth();
            s += day % 10 == 1 && day != 11 ? "st" : day % 10 == 2 && day != 12 ? "nd" : day % 10 == 3 && day != 13 ? "rd" : "th";
        }
        List<String> t = new ArrayList<>(tags);
        t.add(f[1]);
        if (date.getMonthValue() == 3 || date.getMonthValue() == 5) {
            t.add("month_word"); // March, May: the words that must survive elsewhere
        }
        d.span(PhiKind.DATE, t, s);
    }

    private static void age(Dictation d, int age, List<String> tags, SplittableRandom r) {
        PhiKind kind = age >= 90 ? PhiKind.AGE : PhiKind.KEEP_NUMBER;
        switch (r.nextInt(5)) {
            case 0 -> d.span(kind, with(tags, "year_old"), Integer.toString(age)).add("-year-old");
            case 1 -> d.span(kind, with(tags, "y_o"), Integer.toString(age)).add(" y/o");
            case 2 -> d.span(kind, with(tags, "yo"), Integer.toString(age)).add("yo");
            case 3 -> d.add("aged ").span(kind, with(tags, "aged"), Integer.toString(age)).add(",");
            default -> {
                if (age >= 90) {
                    d.span(kind, with(tags, "words"), DIGIT_WORDS[Math.min(age, 99) - 90]).add("-year-old");
                } else {
                    d.span(kind, with(tags, "year_old"), Integer.toString(age)).add(" year old");
                }
            }
        }
    }

    private static String sexWord(String sex, SplittableRandom r) {
        boolean f = "F".equals(sex);
        return switch (r.nextInt(3)) {
            case 0 -> f ? "woman" : "man";
            case 1 -> f ? "female" : "male";
            default -> f ? "F" : "M";
        };
    }

    private static String mrnForm(String mrn, SplittableRandom r) {
        return r.nextInt(4) == 0 ? "00" + mrn : mrn;
    }

    private static String ssnForm(String ssn, SplittableRandom r) {
        return switch (r.nextInt(3)) {
            case 0 -> ssn;
            case 1 -> ssn.replace('-', ' ');
            default -> ssn.replace("-", "");
        };
    }

    private static String randomPhone(SplittableRandom r) {
        return (201 + r.nextInt(780)) + "555" + String.format(Locale.ROOT, "%04d", 100 + r.nextInt(100));
    }

    /** Ten digits in one of the ways phone numbers are typed. */
    static String phoneForm(String digits, SplittableRandom r) {
        String a = digits.substring(0, 3);
        String b = digits.substring(3, 6);
        String c = digits.substring(6);
        return switch (r.nextInt(6)) {
            case 0 -> a + "-" + b + "-" + c;
            case 1 -> "(" + a + ") " + b + "-" + c;
            case 2 -> a + "." + b + "." + c;
            case 3 -> a + " " + b + " " + c;
            case 4 -> "+1 " + a + "-" + b + "-" + c;
            default -> digits;
        };
    }

    private static void pager(Dictation d, List<String> tags, boolean caps, SplittableRandom r) {
        String word = new String[]{"pager ", "pgr ", "beeper #", "pager #"}[r.nextInt(4)];
        String number = r.nextBoolean() ? Integer.toString(100000 + r.nextInt(900000)) : phoneForm(randomPhone(r), r);
        d.add(caps ? word.toUpperCase(Locale.ROOT) : word).span(PhiKind.PHONE, with(tags, "pager"), number);
    }

    private static String insuranceId(SplittableRandom r) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            s.append((char) ('A' + r.nextInt(26)));
        }
        return s.append(100_000_000 + r.nextInt(900_000_000)).toString();
    }

    private static String email(Person p, Institution h, SplittableRandom r) {
        String family = p.family().toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        String local = switch (r.nextInt(3)) {
            case 0 -> p.given().toLowerCase(Locale.ROOT).charAt(0) + family;
            case 1 -> p.given().toLowerCase(Locale.ROOT) + "." + family;
            default -> "radiology." + family;
        };
        return local + "@" + h.domain();
    }

    private static String url(Cast c, SplittableRandom r) {
        String domain = c.hospital().domain();
        return switch (r.nextInt(3)) {
            case 0 -> "https://pacs." + domain + "/viewer?accession=" + c.accession();
            case 1 -> "www." + domain + "/radiology/reports/" + c.patient().mrn();
            default -> "http://intranet." + domain + "/rad";
        };
    }

    private Cast cast(SplittableRandom r) {
        String sex = r.nextBoolean() ? "F" : "M";
        Person who = person(sex, r);
        String middle = r.nextInt(3) == 0 ? pick(r.nextBoolean() ? "given-female" : "given-male", r) : "";
        // one patient in four is 90 or older: those ages are identifiers
        int age = r.nextInt(4) == 0 ? 90 + r.nextInt(14) : 18 + r.nextInt(72);
        LocalDate study = FIRST_STUDY_DAY.plusDays(r.nextInt(700));
        LocalDate birth = study.minusYears(age).minusDays(1 + r.nextInt(360));
        String[] city = pick("city", r).split("\\^");
        String street = (1 + r.nextInt(9800)) + " " + pick("street", r) + (r.nextInt(4) == 0 ? ", Apt " + (1 + r.nextInt(12))
                + (char) ('A' + r.nextInt(4)) : "");
        String ssn = String.format(Locale.ROOT, "%03d-%02d-%04d", 100 + r.nextInt(560), 10 + r.nextInt(90), 1000 + r.nextInt(9000));
        Institution hospital = institution(r);
        Institution outside = institution(r);
        while (outside.equals(hospital)) {
            outside = institution(r);
        }
        PhiPatient patient = new PhiPatient(who.family(), who.given(), middle, sex, birth,
                Integer.toString(1_000_000 + r.nextInt(99_000_000)), issuer(hospital), ssn, street, city[0], city[1],
                r.nextInt(5) == 0 ? city[2] + "-" + (1000 + r.nextInt(9000)) : city[2],
                phoneForm(randomPhone(r), r));
        String accession = r.nextBoolean() ? Long.toString(10_000_000L + r.nextInt(89_999_999))
                : "CXR" + study.getYear() % 100 + String.format(Locale.ROOT, "%07d", r.nextInt(10_000_000));
        List<Person> doctors = List.of(person("", r), person("", r), person("", r));
        Person relative = new Person(pick(r.nextBoolean() ? "given-female" : "given-male", r), "", who.family(), who.category());
        return new Cast(patient, age, hospital, outside, accession, study, study.minusDays(1 + r.nextInt(180)),
                LocalTime.of(r.nextInt(24), r.nextInt(60)), doctors, person("", r), person("", r), person("F", r),
                person("", r), person("", r), relative, Long.toString(900_000_000_000L + r.nextInt(999_999_999)));
    }

    private static String issuer(Institution h) {
        StringBuilder s = new StringBuilder();
        for (String w : h.name().split(" ")) {
            if (Character.isUpperCase(w.charAt(0))) {
                s.append(w.charAt(0));
            }
        }
        return s.toString();
    }

    private Institution institution(SplittableRandom r) {
        String[] f = pick("institution", r).split("\\^");
        return new Institution(f[0], f[1]);
    }

    /** A person whose surname is plain, O'..., Mc..., with particles, double-barrelled or an eponym. */
    Person person(String sex, SplittableRandom r) {
        boolean female = "F".equals(sex) || !"M".equals(sex) && r.nextBoolean();
        String given;
        String category;
        if (r.nextInt(20) == 0) {
            given = pick("given-word", r);
            category = "word_given";
        } else {
            given = pick(female ? "given-female" : "given-male", r);
            category = null;
        }
        String middle = r.nextInt(3) == 0 ? pick(r.nextBoolean() ? "given-female" : "given-male", r) : "";
        int u = r.nextInt(100);
        String family;
        String surnameKind;
        if (u < 40) {
            family = pick("family", r);
            surnameKind = "plain";
        } else if (u < 52) {
            family = pick("family-apostrophe", r);
            surnameKind = "apostrophe";
        } else if (u < 64) {
            family = pick("family-mc", r);
            surnameKind = "mc";
        } else if (u < 78) {
            family = pick("family-particle", r);
            surnameKind = "particle";
        } else if (u < 94) {
            String a = pick("family-double", r);
            String b = pick("family-double", r);
            family = a.equals(b) ? a + "-" + pick("family", r) : a + "-" + b;
            surnameKind = "hyphenated";
        } else {
            family = pick("eponym-family", r);
            surnameKind = "eponym_surname";
        }
        return new Person(given, middle, family, category == null ? surnameKind : category);
    }

    private List<DicomValue> dicomValues(Cast c, SplittableRandom r) {
        PhiPatient p = c.patient();
        Person referring = c.doctors().get(0);
        Person operator = c.technologist();
        List<DicomValue> v = new ArrayList<>();
        v.add(new DicomValue("PatientName", p.dicomName(), PhiKind.PATIENT_NAME));
        v.add(new DicomValue("PatientID", p.mrn(), PhiKind.MRN));
        v.add(new DicomValue("IssuerOfPatientID", p.issuer(), PhiKind.ID));
        v.add(new DicomValue("OtherPatientIDs", p.ssn().replace("-", ""), PhiKind.SSN));
        v.add(new DicomValue("PatientBirthDate", p.birthDate().format(DateTimeFormatter.BASIC_ISO_DATE), PhiKind.DATE));
        v.add(new DicomValue("PatientAge", String.format(Locale.ROOT, "%03dY", c.age()),
                c.age() >= 90 ? PhiKind.AGE : PhiKind.KEEP_NUMBER));
        v.add(new DicomValue("PatientAddress", p.street() + ", " + p.city() + ", " + p.state() + " " + p.zip(), PhiKind.ADDRESS));
        v.add(new DicomValue("PatientTelephoneNumbers", p.phone(), PhiKind.PHONE));
        v.add(new DicomValue("AccessionNumber", c.accession(), PhiKind.ACCESSION));
        v.add(new DicomValue("InstitutionName", c.hospital().name(), PhiKind.INSTITUTION));
        v.add(new DicomValue("InstitutionAddress", (100 + r.nextInt(900)) + " " + pick("street", r) + ", "
                + p.city() + ", " + p.state(), PhiKind.ADDRESS));
        v.add(new DicomValue("ReferringPhysicianName", referring.family() + "^" + referring.given(), PhiKind.NAME));
        v.add(new DicomValue("PerformingPhysicianName", c.radiologist().family() + "^" + c.radiologist().given(), PhiKind.NAME));
        v.add(new DicomValue("OperatorsName", operator.family() + "^" + operator.given(), PhiKind.NAME));
        v.add(new DicomValue("StudyID", c.encounter().substring(6), PhiKind.ID));
        v.add(new DicomValue("StudyDescription", "CXR PA/LAT per Dr " + referring.family(), PhiKind.NAME));
        v.add(new DicomValue("ImageComments", "pt " + p.family() + ", " + p.given() + " MRN " + p.mrn() + " portable",
                PhiKind.PATIENT_NAME));
        v.add(new DicomValue("AdditionalPatientHistory", c.age() + " y/o, called to Dr " + c.doctors().get(1).family()
                + " at " + phoneForm(randomPhone(r), r), PhiKind.NAME));
        v.add(new DicomValue("StudyDate", c.studyDate().format(DateTimeFormatter.BASIC_ISO_DATE), PhiKind.STUDY_DATE));
        return v;
    }

    private String pick(String list, SplittableRandom r) {
        List<String> l = vocabulary.containsKey(list) ? vocabulary.get(list) : sentences.get(list);
        if (l == null || l.isEmpty()) {
            throw new IllegalStateException("no [" + list + "] list");
        }
        return l.get(r.nextInt(l.size()));
    }

    private static <T> T one(List<T> l, SplittableRandom r) {
        return l.get(r.nextInt(l.size()));
    }

    private static <T> List<T> shuffled(List<T> l, SplittableRandom r) {
        List<T> s = new ArrayList<>(l);
        for (int i = s.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            T t = s.get(i);
            s.set(i, s.get(j));
            s.set(j, t);
        }
        return s;
    }

    private static List<String> with(List<String> tags, String tag) {
        List<String> t = new ArrayList<>(tags);
        t.add(tag);
        return t;
    }
}
