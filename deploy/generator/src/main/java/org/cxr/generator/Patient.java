package org.cxr.generator;

/**
 * The patient identity written into a study's DICOM headers. With PHI on it is a fake person; with
 * PHI off it looks de-identified like MIMIC-CXR (the research subject id as PatientID, everything
 * else empty).
 *
 * @param name              PN value (Family^Given^Middle), or empty
 * @param patientId         PatientID (0010,0020)
 * @param issuerOfPatientId IssuerOfPatientID (0010,0021), or null when absent
 * @param birthDate         DA value (YYYYMMDD), or empty
 * @param sex               F, M or O
 * @param address           PatientAddress, or empty
 * @param phone             PatientTelephoneNumbers, or empty
 */
public record Patient(String name, String patientId, String issuerOfPatientId, String birthDate, String sex,
                      String address, String phone) {
}
