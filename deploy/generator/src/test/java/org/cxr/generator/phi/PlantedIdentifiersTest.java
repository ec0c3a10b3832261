package org.cxr.generator.phi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class PlantedIdentifiersTest {
    @Test
    void needlesCarryTheEncodingsAnIdentifierCanTakeAndNothingTooShortToSearchFor() {
        String text = "Discussed with Dr. O'Sullivan (617) 555-0142 on March 5, 2024 and 3/5; Dr. Graves; May; MA 01824.";
        List<GoldSpan> spans = new ArrayList<>();
        span(spans, text, "O'Sullivan", PhiKind.NAME, "apostrophe");
        span(spans, text, "(617) 555-0142", PhiKind.PHONE);
        span(spans, text, "March 5, 2024", PhiKind.DATE, "month_name");
        span(spans, text, "3/5", PhiKind.DATE, "numeric_no_year");
        span(spans, text, "Graves", PhiKind.NAME, "eponym_surname");
        span(spans, text, "May", PhiKind.NAME, "word_given");
        span(spans, text, "MA", PhiKind.LOCATION, "state");
        span(spans, text, "01824", PhiKind.ZIP);
        PhiPatient patient = new PhiPatient("van den Heuvel", "Genevieve", "", "F", LocalDate.of(1931, 3, 14),
                "4829103", "SBMC", "123-45-6789", "12 Larkspur Lane", "Westbrook", "ME", "04092", "617-555-0100");
        PhiReport r = new PhiReport(0, "2.25.123456789", text, spans, patient, "CXR240012345", LocalDate.of(2024, 3, 5),
                "St. Brigid's Medical Center", List.of(new PhiReport.DicomValue("PatientName", patient.dicomName(), PhiKind.PATIENT_NAME),
                new PhiReport.DicomValue("OtherPatientIDs", "123456789", PhiKind.SSN)));

        List<String> values = PlantedIdentifiers.of(List.of(r)).stream().map(PlantedIdentifiers.Needle::value).toList();
        assertThat(values).contains("O'Sullivan", "Sullivan", "O\\u0027Sullivan", "(617) 555-0142", "6175550142",
                "March 5, 2024", "20240305", "2024-03-05", "van den Heuvel^Genevieve", "Heuvel", "Genevieve",
                "123456789", "2.25.123456789");
        assertThat(values).doesNotContain("3/5", "Graves", "May", "MA", "01824", "March", "van", "den");
    }

    private static void span(List<GoldSpan> spans, String text, String what, PhiKind kind, String... tags) {
        int at = text.indexOf(what);
        spans.add(new GoldSpan(at, at + what.length(), kind, List.of(tags), what));
    }
}
