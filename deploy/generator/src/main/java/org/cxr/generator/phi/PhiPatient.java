package org.cxr.generator.phi;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The patient of a PHI-corpus study: what the DICOM headers carry and what a scrubber may use to
 * find the patient's own name in the report.
 *
 * @param family     family name, as one string ("van den Heuvel", "Ashworth-Navarro", "O'Malley")
 * @param given      given name
 * @param middle     middle name, or empty
 * @param sex        F or M
 * @param mrn        the medical record number (DICOM PatientID)
 * @param issuer     IssuerOfPatientID
 * @param ssn        social security number, ddd-dd-dddd
 * @param street     street address ("1427 Larkspur Lane")
 * @param city       city
 * @param state      two-letter state
 * @param zip        ZIP code
 * @param phone      home telephone, (ddd) ddd-dddd
 */
public record PhiPatient(String family, String given, String middle, String sex, LocalDate birthDate, String mrn,
                         String issuer, String ssn, String street, String city, String state, String zip,
                         String phone) {

    /** DICOM PN: Family^Given^Middle. */
    public String dicomName() {
        return middle.isEmpty() ? family + "^" + given : family + "^" + given + "^" + middle;
    }

    /** The name's tokens as a scrubber would split the DICOM name (letters, apostrophes, hyphens kept inside tokens). */
    public List<String> nameTokens() {
        List<String> tokens = new ArrayList<>();
        for (String part : List.of(family, given, middle)) {
            for (String t : part.split("[\\s^]+")) {
                if (!t.isEmpty()) {
                    tokens.add(t);
                }
            }
        }
        return tokens;
    }
}
