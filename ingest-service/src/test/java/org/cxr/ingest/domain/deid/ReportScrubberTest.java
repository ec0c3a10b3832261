package org.cxr.ingest.domain.deid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.cxr.ingest.domain.deid.ReportScrubber;
import org.cxr.ingest.domain.deid.ReportText;
import org.cxr.ingest.domain.intake.IntakeRejected;
import org.cxr.ingest.domain.intake.RejectReason;
import org.junit.jupiter.api.Test;

/** The scrubber's rules one by one (the PHI corpus measures them together: {@link ScrubberCorpusTest}). */
class ReportScrubberTest {
    static final Set<String> PATIENT = Set.of("quackenbush", "hortensia", "may");

    static String scrub(String s) {
        return ReportScrubber.scrub(s, w -> PATIENT.contains(w.toLowerCase()));
    }

    static void masked(String text, String... identifiers) {
        String out = scrub(text);
        for (String id : identifiers) {
            assertThat(out).as("'" + id + "' in: " + text + "\n -> " + out).doesNotContain(id);
        }
        assertThat(out).contains(ReportScrubber.MASK);
    }

    /** Clinical text survives the generic rules (a patient whose name is a word masks that word when capitalised). */
    static void kept(String text) {
        assertThat(ReportScrubber.scrub(text)).as(text).isEqualTo(text);
    }

    @Test
    void namesInEveryCaseAndForm() {
        masked("Findings were discussed with Dr. John Westphall by Dr. Amy Lee.", "John", "Westphall", "Amy Lee");
        masked("FINDINGS DISCUSSED WITH DR. O'BRIEN-SMITH AT 10:45.", "O'BRIEN", "SMITH");
        masked("D/W DR. VAN DER BERG.", "VAN DER BERG");
        masked("Dr. O'Brien (pager 617-555-0199) agreed.", "O'Brien", "617", "0199");
        // an O' surname with no cue, not in the census lists with its apostrophe (the patient's name unknown)
        masked("INDICATION:  Pt O'Donoghue, Anastasia (51 year old F) with worsening cough.", "Donoghue", "Anastasia");
        masked("PT O'DONOGHUE WITH COUGH", "DONOGHUE");
        masked("Compared with O'Donoghue's prior film.", "Donoghue");
        kept("Obtained at 3 o'clock.");
        masked("Results called to Mary Ann McDonald, NP by the radiology resident.", "Mary", "Ann", "McDonald");
        masked("Signed by: SMITH, JOHN A., MD", "SMITH", "JOHN", "A.,");
        masked("Dictated by: Jane Doe, MD", "Jane", "Doe");
        masked("Electronically signed by Priya Raghunathan, MD on 03/22/2019.", "Priya", "Raghunathan", "03/22/2019");
        masked("discussed with dr. smith by telephone", "smith");
        masked("Radiologist: Wendell van den Heuvel", "Wendell", "van den Heuvel");
        masked("The findings were communicated to RN Cordelia Carvalho-Zielinski at 16:03.", "Cordelia", "Carvalho");
        masked("Preliminary read given to the patient's daughter, magdalena macpherson.", "magdalena", "macpherson");
        masked("These findings were called to Graves at 06:21.", "Graves at");
        masked("Ambrose Kerley, MD", "Ambrose", "Kerley");
        masked("Smith called with questions.", "Smith");
        masked("Transcribed by: jd 12/26", "jd", "12/26");
        masked("Drs. Smith and Jones reviewed the films.", "Smith", "Jones");
    }

    @Test
    void thePatientsOwnNameInAnyCaseButNotTheWordItAlsoIs() {
        masked("Hortensia reports pain. QUACKENBUSH, HORTENSIA M. hortensia quackenbush", "Hortensia", "QUACKENBUSH",
                "HORTENSIA", "M.", "hortensia", "quackenbush");
        masked("Patient: Quackenbush-Smith", "Quackenbush-Smith");
        // a patient called May: the word stays in ordinary text, the name does not
        assertThat(scrub("Left lower lobe opacity may represent atelectasis.")).contains("may represent");
        masked("PATIENT: QUACKENBUSH, MAY", "MAY");
    }

    /** The e2e leak scan's case ("Pt O'Donoghue, ___"): the tokens come from the DICOM PatientName as ingest takes them. */
    @Test
    void thePatientsOwnPrefixedOrHyphenatedSurnameInEveryWriting() {
        String[][] cases = {
                {"O'Donoghue^Anastasia", "INDICATION:  Pt O'Donoghue, Anastasia (51 year old F) with wor",
                        "Pt ODonoghue.", "PT O'DONOGHUE", "pt o’donoghue", "Pt O Donoghue", "Mrs. Donoghue", "O'Donoghue-Smith"},
                {"ODonoghue^Anastasia", "Pt O'Donoghue, Anastasia", "Pt O'DONOGHUE", "Pt ODonoghue"},
                {"McCormack^Anastasia", "Pt McCormack, Anastasia", "PT MCCORMACK", "Pt Mc Cormack", "Pt Mc'Cormack"},
                {"Hill-McCormack^Anastasia", "Pt Hill-McCormack", "Pt Hill McCormack", "Pt HILL-MCCORMACK"},
        };
        for (String[] c : cases) {
            Set<String> tokens = org.cxr.ingest.domain.deid.InstanceHeader.nameTokens(c[0]);
            List<String> needles = new ArrayList<>();
            for (String t : tokens) {
                needles.add(t);
                needles.add(t.replaceFirst("^(?i)(o|mc|mac)", "")); // "Donoghue" of ODonoghue, "Cormack" of McCormack
            }
            for (int i = 1; i < c.length; i++) {
                String out = ReportScrubber.scrub(c[i], w -> tokens.stream().anyMatch(w::equalsIgnoreCase));
                for (String needle : needles) {
                    assertThat(out).as(c[0] + ": " + c[i] + " -> " + out).doesNotContainIgnoringCase(needle);
                }
            }
        }
    }

    @Test
    void numbersDatesAndAges() {
        masked("MRN 4471123, accession #A99887766, SSN 123-45-6789, SSN: 123 45 6789.", "4471123", "A99887766",
                "123-45-6789", "123 45 6789");
        masked("Comparison: 03/14/2019, March 2, 2018, 2019-03-21, 4th of July 2020, Sept. 3rd, 12/25, 07/2024,"
                + " 30\n December 2023, since Oct\n 27.", "03/14/2019", "March 2", "2018", "2019-03-21", "4th", "July",
                "2020", "Sept", "3rd", "12/25", "07/2024", "30", "December", "Oct", "27");
        masked("phone (617) 555-1234, fax +1 617.555.1234, pager 61234, ext. 4567, 617 555 1234, X5-5446",
                "555-1234", "617.555", "61234", "4567", "617 555", "5-5446");
        masked("93-year-old man; 97yo F; AGE: 099Y; aged 101; ninety-one-year-old woman; Age: 95.", "93-", "97", "099Y",
                "101", "ninety-one", "95");
        assertThat(scrub("72-year-old woman, 45 yo")).isEqualTo("72-year-old woman, 45 yo"); // under 90: not identifying
    }

    @Test
    void addressesContactsAndInstitutions() {
        masked("Patient lives at 12 Elm Street, Apt 4B, Springfield, MA 01103.", "12 Elm", "Apt 4B", "Springfield",
                "MA", "01103");
        masked("ADDRESS: 9741 Sycamore Bend, Poughkeepsie, NY 12601   SEX: M", "9741", "Sycamore", "Poughkeepsie", "12601");
        masked("email j.westphall@segh.org, see https://segh.org/x or www.example.com", "westphall", "segh.org",
                "example.com");
        masked("Transferred from Saint Elsewhere General Hospital and from Massachusetts General Hospital.",
                "Elsewhere", "Massachusetts");
        masked("Outside films from ST. BRIGID'S MEDICAL CENTER dated 3/2.", "BRIGID", "3/2");
        masked("University of Springfield Hospital; Beth Avalon Deaconess Medical Center", "Springfield", "Avalon");
        kept("Outside hospital films reviewed. Comparison with the outside hospital radiograph.");
    }

    @Test
    void clinicalTextSurvives() {
        kept("FINDINGS: No focal consolidation. Cardiomediastinal silhouette is within normal limits."
                + " An ET tube ends 4.5 cm above the carina; NG tube in the stomach. 2 sternal wires.\n"
                + "IMPRESSION: No acute cardiopulmonary process.\n");
        kept("Kerley B lines. Swan-Ganz catheter in the right pulmonary artery. Dobhoff tube. History of Hodgkin lymphoma,"
                + " Parkinson disease and Graves disease. White count elevated. May represent atelectasis. March fracture"
                + " of the metatarsal. 1.5 cm nodule at T10, 3 mm granuloma, 2/3 of the lung, left and right, bilateral.");
        kept("EXAMINATION: CHEST (PA AND LAT)\nINDICATION: 72-year-old woman with cough.\nTECHNIQUE: PA and lateral"
                + " views at 10:45 a.m. Compared with the study of 2 days ago. 2000 mL of fluid removed; 120/80.");
        kept("Discussed with the referring physician by telephone. Findings discussed with the ICU team.");
    }

    /**
     * Linear time: 1 MiB of real-looking text and of adversarial runs (capitalised words, names, digits,
     * punctuation, cue words) each scrub in well under a second of CPU even on a loaded machine (the
     * real figure, a few tens of ms, is measured by {@code ScrubberBench}); a backtracking pattern
     * would take minutes on these.
     */
    @Test
    void oneMebibyteOfAnythingScrubsInLinearTime() {
        String[] inputs = {
            "Findings were discussed with Dr. John Westphall on 03/14/2019 at 10:45, pager 61234. Kerley B lines. ",
            "Smith Jones Brown Miller Davis Westphall O'Brien-Smith ",
            "SMITH JONES WESTPHALL O'BRIEN DR. DR. MR. ",
            "1234567890",
            "1-2-3-4-5-6-7-8-9-",
            ".,;:!?()[]{}-/@#",
            "a@b.",
            "discussed with discussed with signed by: Radiologist: ",
            "12 Elm Street, Springfield, MA 01103 Saint Mary General Hospital of ",
            "March 3 2019 03/04/2019 (617) 555-1234 ",
        };
        var cpu = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 2; round++) { // the first round loads the word lists and warms up
            for (String unit : inputs) {
                String text = unit.repeat((1 << 20) / unit.length() + 1).substring(0, 1 << 20);
                long t0 = cpu.getCurrentThreadCpuTime();
                String out = scrub(text);
                long ms = (cpu.getCurrentThreadCpuTime() - t0) / 1_000_000;
                assertThat(out).isNotEmpty();
                if (round == 1) {
                    assertThat(ms).as("CPU ms for 1 MiB of '" + unit + "'").isLessThan(1500);
                }
            }
        }
    }

    @Test
    void strictDecoding() throws IntakeRejected {
        assertThat(ReportText.decode("\uFEFFline1\r\nline2".getBytes(StandardCharsets.UTF_8), null, 1000))
                .isEqualTo("line1\nline2");
        assertThat(ReportText.decode("Müller".getBytes(StandardCharsets.ISO_8859_1), "ISO-8859-1", 1000)).isEqualTo("Müller");
        assertThatThrownBy(() -> ReportText.decode("Müller".getBytes(StandardCharsets.ISO_8859_1), "UTF-8", 1000))
                .matches(e -> ((IntakeRejected) e).reason() == RejectReason.UNDECODABLE_REPORT);
        assertThatThrownBy(() -> ReportText.decode(" \n ".getBytes(StandardCharsets.UTF_8), null, 1000))
                .matches(e -> ((IntakeRejected) e).reason() == RejectReason.EMPTY_REPORT);
        assertThatThrownBy(() -> ReportText.decode(new byte[2000], null, 1000))
                .matches(e -> ((IntakeRejected) e).reason() == RejectReason.TOO_LARGE);
        assertThatThrownBy(() -> ReportText.decode("x".getBytes(), "no-such-charset", 1000))
                .matches(e -> ((IntakeRejected) e).reason() == RejectReason.UNDECODABLE_REPORT);
    }
}
