package org.cxr.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.cxr.generator.GeneratedStudy;
import org.cxr.generator.GeneratorOptions;
import org.cxr.generator.StudyGenerator;
import org.junit.jupiter.api.Test;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.util.Terser;

/** The demo's ORU^R01, read back by HAPI as ingest reads it (docs/hospital-integration.md). */
class HospitalSenderTest {
    @Test
    void theReportMessageCarriesTheAccessionTheFinalStatusAndTheTextLineByLine() throws Exception {
        GeneratedStudy study = new StudyGenerator(3, GeneratorOptions.defaults().withMaxSize(64, 64)).iterator().next();
        String er7;
        try (HospitalSender sender = new HospitalSender("127.0.0.1:1", "127.0.0.1:2", 1)) {
            er7 = sender.oru(study);
        }
        try (HapiContext hapi = new DefaultHapiContext()) {
            hapi.setModelClassFactory(new CanonicalModelClassFactory("2.5.1"));
            Message m = hapi.getPipeParser().parse(er7);
            Terser t = new Terser(m);
            assertThat(t.get("/MSH-3")).isEqualTo(Platform.DEMO_SENDER);
            assertThat(t.get("/MSH-9-2")).isEqualTo("R01");
            assertThat(t.get("/.PID-3-1")).isEqualTo(study.patient().patientId());
            assertThat(t.get("/.OBR-3-1")).isEqualTo(study.accessionNumber()).isNotBlank();
            assertThat(t.get("/.OBR-25")).isEqualTo("F");
            String[] lines = study.report().split("\r?\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (!lines[i].isBlank()) {
                    assertThat(t.get("/.OBSERVATION(" + i + ")/OBX-5")).isEqualTo(lines[i].stripTrailing()); // HAPI drops trailing blanks
                }
            }
        }
        assertThat(HospitalSender.escape("a|b^c~d\\e&f")).isEqualTo("a\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f");
    }
}
