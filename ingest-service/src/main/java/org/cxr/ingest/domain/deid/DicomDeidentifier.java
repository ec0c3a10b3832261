package org.cxr.ingest.domain.deid;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import org.cxr.dicom.Dataset;
import org.cxr.dicom.DicomElement;
import org.cxr.dicom.DicomFile;
import org.cxr.dicom.DicomWriter;
import org.cxr.dicom.ElementDictionary;
import org.cxr.dicom.Tag;
import org.cxr.dicom.VR;
import org.cxr.ingest.domain.deid.ConfidentialityProfile.Action;

/**
 * Applies the {@link ConfidentialityProfile} to a DICOM instance and writes the de-identified copy
 * (PS3.15 E.1): listed attributes per the action table, private groups, overlays and curves
 * removed, any other person name removed, any other date shifted and any other instance UID
 * remapped; PatientName and PatientID become the research subject id; the de-identification is
 * recorded (PatientIdentityRemoved, DeidentificationMethod and its code sequence,
 * LongitudinalTemporalInformationModified). Pixel data is copied untouched (burned-in text is not
 * detected). The output is a deterministic function of the input and the context, so a retry
 * produces the same bytes, object and event id.
 */
public final class DicomDeidentifier {
    static final int PATIENT_IDENTITY_REMOVED = 0x00120062;
    static final int DEIDENTIFICATION_METHOD = 0x00120063;
    static final int DEIDENTIFICATION_METHOD_CODE_SEQUENCE = 0x00120064;
    static final int LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED = 0x00280303;
    private static final String STANDARD_UID_ROOT = "1.2.840.10008.";

    /**
     * @param subjectId      replaces PatientName and PatientID
     * @param dateOffsetDays the subject's date shift
     * @param uids           the consistent UID replacement
     * @param nameToken      true for a token of this patient's name (cleaned out of descriptions)
     */
    public record Context(String subjectId, int dateOffsetDays, UnaryOperator<String> uids, Predicate<String> nameToken) {
    }

    private final ConfidentialityProfile profile;

    public DicomDeidentifier(ConfidentialityProfile profile) {
        this.profile = profile;
    }

    /** The de-identified copy as a Part 10 file in the input's transfer syntax. */
    public byte[] deidentify(DicomFile file, Context ctx) {
        Dataset ds = file.dataset();
        apply(ds, ctx);
        // the stored copy always names its research subject, even when the original had no PatientID
        ds.putString(Tag.PatientName, VR.PN, ctx.subjectId());
        ds.putString(Tag.PatientID, VR.LO, ctx.subjectId());
        record(ds);
        return DicomWriter.toBytes(ds, file.transferSyntax().uid());
    }

    /** De-identifies a dataset (and its sequence items) in place. */
    public void apply(Dataset ds, Context ctx) {
        for (DicomElement e : new ArrayList<>(ds.elements())) {
            int tag = e.tag();
            int group = tag >>> 16;
            if ((group & 1) == 1 || (group & 0xFF00) == 0x6000 || (group & 0xFF00) == 0x5000) {
                ds.remove(tag);
                continue;
            }
            Action a = profile.actionFor(tag);
            if (a == null) {
                a = implicitAction(e);
            }
            switch (a) {
                case X -> ds.remove(tag);
                case Z -> ds.put(DicomElement.ofBytes(tag, e.vr(), new byte[0]));
                case D -> ds.putString(tag, e.vr(), ctx.subjectId());
                case U -> remapUids(ds, e, ctx);
                case C -> clean(ds, e, ctx);
                case SHIFT -> shift(ds, e, ctx);
                case K -> {
                    if (tag == Tag.PatientAge) {
                        capAge(ds, e);
                    }
                }
            }
            if (a != Action.X && e.isSequence()) {
                for (Dataset item : ds.get(tag).items()) {
                    apply(item, ctx);
                }
            }
        }
    }

    /** What happens to an attribute the table does not list. */
    private static Action implicitAction(DicomElement e) {
        VR vr = e.vr();
        if (vr == VR.PN) {
            return Action.X;
        }
        if (vr == VR.DA || vr == VR.DT) {
            return Action.SHIFT;
        }
        if (vr == VR.UI) {
            String kw = ElementDictionary.keywordOf(e.tag());
            boolean classUid = kw != null && (kw.endsWith("ClassUID") || kw.equals("TransferSyntaxUID")
                    || kw.endsWith("ClassUIDInFile") || kw.equals("CodingSchemeUID"));
            return classUid ? Action.K : Action.U;
        }
        return Action.K;
    }

    private static void remapUids(Dataset ds, DicomElement e, Context ctx) {
        if (e.vr() != VR.UI) {
            return;
        }
        String v = ds.getString(e.tag());
        if (v == null || v.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (String uid : v.split("\\\\")) {
            String u = uid.trim();
            sb.append(sb.length() > 0 ? "\\" : "").append(u.startsWith(STANDARD_UID_ROOT) ? u : ctx.uids().apply(u));
        }
        ds.putString(e.tag(), VR.UI, sb.toString());
    }

    private static void clean(Dataset ds, DicomElement e, Context ctx) {
        String v = ds.getString(e.tag());
        if (v == null || v.isEmpty()) {
            return;
        }
        String cleaned = ReportScrubber.scrub(v, ctx.nameToken());
        if (!cleaned.equals(v)) {
            ds.putString(e.tag(), e.vr(), cleaned);
        }
    }

    private void shift(Dataset ds, DicomElement e, Context ctx) {
        if (e.vr() != VR.DA && e.vr() != VR.DT) {
            return; // TM (and anything else under the temporal option) is kept: times are not shifted
        }
        String v = ds.getString(e.tag());
        if (v == null || v.isEmpty()) {
            return;
        }
        String shifted = e.vr() == VR.DA ? DateShift.date(v, ctx.dateOffsetDays())
                : DateShift.dateTime(v, ctx.dateOffsetDays());
        if (shifted == null) {
            ds.put(DicomElement.ofBytes(e.tag(), e.vr(), new byte[0])); // unreadable date: empty, never kept
        } else {
            ds.putString(e.tag(), e.vr(), shifted);
        }
    }

    /** Ages over 89 are identifying (HIPAA Safe Harbor): reported as 090Y. */
    private static void capAge(Dataset ds, DicomElement e) {
        String v = ds.getString(e.tag());
        if (v != null && v.matches("\\d{3}Y") && Integer.parseInt(v.substring(0, 3)) > 89) {
            ds.putString(e.tag(), VR.AS, "090Y");
        }
    }

    /** PS3.15 E.1.1: say what was done. */
    private void record(Dataset ds) {
        ds.putString(PATIENT_IDENTITY_REMOVED, VR.CS, "YES");
        StringBuilder method = new StringBuilder("CXR ingest: PS3.15 Basic Application Confidentiality Profile");
        List<Dataset> codes = new ArrayList<>();
        codes.add(code("113100", "Basic Application Confidentiality Profile"));
        if (profile.retainTemporal()) {
            method.append(", Retain Longitudinal Temporal Information with Modified Dates");
            codes.add(code("113107", "Retain Longitudinal Temporal Information Modified Dates Option"));
            ds.putString(LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED, VR.CS, "MODIFIED");
        }
        if (profile.retainPatientCharacteristics()) {
            method.append(", Retain Patient Characteristics");
            codes.add(code("113108", "Retain Patient Characteristics Option"));
        }
        method.append(", Clean Descriptors");
        codes.add(code("113105", "Clean Descriptors Option"));
        ds.putString(DEIDENTIFICATION_METHOD, VR.LO, method.length() > 64 ? "CXR ingest PS3.15 E.1 (see codes)" : method.toString());
        ds.putSequence(DEIDENTIFICATION_METHOD_CODE_SEQUENCE, codes);
    }

    private static Dataset code(String value, String meaning) {
        Dataset item = new Dataset();
        item.putString(Tag.CodeValue, VR.SH, value);
        item.putString(Tag.CodingSchemeDesignator, VR.SH, "DCM");
        item.putString(Tag.CodeMeaning, VR.LO, meaning);
        return item;
    }
}
