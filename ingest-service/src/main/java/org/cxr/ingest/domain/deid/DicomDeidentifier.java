package org.cxr.ingest.domain.deid;

import java.io.IOException;
import java.io.OutputStream;
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
import org.cxr.ingest.domain.deid.AllowList.Action;

/**
 * Writes the de-identified copy of a DICOM instance by allow-list ({@link AllowList}): only what
 * the dataset, decoding and provenance need is kept, everything else is removed at every nesting
 * level. Kept attributes are made safe as the list says: UIDs remapped consistently, dates shifted
 * by the subject's offset (times kept), descriptions and code meanings cleaned by the report
 * scrubber, PatientName/PatientID the research subject id, StudyID the research study id, ages
 * over 89 reported as 090Y. The result is within the PS3.15 Basic Application Level
 * Confidentiality Profile (stricter: nothing it would keep is kept unless listed) with the Retain
 * Longitudinal Temporal Information with Modified Dates, Retain Patient Characteristics (sex and
 * age only) and Clean Descriptors options, and records so (PatientIdentityRemoved,
 * DeidentificationMethod and its code sequence, LongitudinalTemporalInformationModified). Pixel
 * data is copied untouched; instances at risk of burned-in text are refused before this
 * ({@link BurnedInRisk}). The output is a deterministic function of the input and the context.
 */
public final class DicomDeidentifier {
    static final int PATIENT_IDENTITY_REMOVED = 0x00120062;
    static final int DEIDENTIFICATION_METHOD = 0x00120063;
    static final int DEIDENTIFICATION_METHOD_CODE_SEQUENCE = 0x00120064;
    static final int LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED = 0x00280303;
    static final String METHOD = "CXR ingest: allow-list within PS3.15 E.1 Basic Profile";
    private static final String STANDARD_UID_ROOT = "1.2.840.10008.";

    /**
     * @param subjectId      replaces PatientName and PatientID
     * @param studyId        replaces StudyID
     * @param dateOffsetDays the subject's date shift
     * @param uids           the consistent UID replacement
     * @param nameToken      true for a token of this patient's name (cleaned out of descriptions)
     */
    public record Context(String subjectId, String studyId, int dateOffsetDays, UnaryOperator<String> uids,
                          Predicate<String> nameToken) {
    }

    private final AllowList allowList;

    public DicomDeidentifier(AllowList allowList) {
        this.allowList = allowList;
    }

    /** The de-identified copy as a Part 10 file in the input's transfer syntax. */
    public byte[] deidentify(DicomFile file, Context ctx) {
        return DicomWriter.toBytes(prepare(file, ctx), file.transferSyntax().uid());
    }

    /** Writes the de-identified copy to {@code out}; pixel data is streamed from the input's source. */
    public void deidentify(DicomFile file, Context ctx, OutputStream out) throws IOException {
        DicomWriter.write(out, prepare(file, ctx), file.transferSyntax().uid());
    }

    private Dataset prepare(DicomFile file, Context ctx) {
        Dataset ds = file.dataset();
        apply(ds, AllowList.TOP, false, ctx);
        // the stored copy always names its research subject, even when the original had no PatientID
        ds.putString(Tag.PatientName, VR.PN, ctx.subjectId());
        ds.putString(Tag.PatientID, VR.LO, ctx.subjectId());
        ds.putString(Tag.StudyID, VR.SH, ctx.studyId());
        record(ds);
        return ds;
    }

    /** Filters a dataset (and its sequence items) in place. */
    void apply(Dataset ds, String context, boolean codeItem, Context ctx) {
        for (DicomElement e : new ArrayList<>(ds.elements())) {
            int tag = e.tag();
            Action a = allowList.actionFor(context, tag, codeItem);
            if (a == null || e.vr() == VR.UN && a != Action.K) {
                ds.remove(tag); // not needed, or a value we cannot interpret to make safe
                continue;
            }
            switch (a) {
                case K -> {
                }
                case Z -> ds.put(DicomElement.ofBytes(tag, e.vr(), new byte[0]));
                case SUBJECT -> ds.putString(tag, e.vr(), ctx.subjectId());
                case STUDY -> ds.putString(tag, e.vr(), ctx.studyId());
                case U -> remapUids(ds, e, ctx);
                case C -> clean(ds, e, ctx);
                case SHIFT -> shift(ds, e, ctx);
                case AGE -> capAge(ds, e);
                case SQ, CODE_SQ -> {
                    String child = ElementDictionary.keywordOf(tag);
                    for (Dataset item : e.items()) {
                        apply(item, child, a == Action.CODE_SQ, ctx);
                    }
                }
            }
        }
    }

    private static void remapUids(Dataset ds, DicomElement e, Context ctx) {
        String v = ds.getString(e.tag());
        if (e.vr() != VR.UI || v == null || v.isEmpty()) {
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

    private static void shift(Dataset ds, DicomElement e, Context ctx) {
        String v = ds.getString(e.tag());
        if (v == null || v.isEmpty()) {
            return;
        }
        String shifted = e.vr() == VR.DA ? DateShift.date(v, ctx.dateOffsetDays())
                : e.vr() == VR.DT ? DateShift.dateTime(v, ctx.dateOffsetDays()) : null;
        if (shifted == null) {
            ds.put(DicomElement.ofBytes(e.tag(), e.vr(), new byte[0])); // unreadable date: empty, never kept
        } else {
            ds.putString(e.tag(), e.vr(), shifted);
        }
    }

    /** Ages over 89 are identifying (HIPAA Safe Harbor): reported as 090Y; anything unreadable is emptied. */
    private static void capAge(Dataset ds, DicomElement e) {
        String v = ds.getString(e.tag());
        if (v == null || v.isEmpty()) {
            return;
        }
        if (!v.matches("\\d{3}[DWMY]")) {
            ds.put(DicomElement.ofBytes(e.tag(), e.vr(), new byte[0]));
        } else if (v.endsWith("Y") && Integer.parseInt(v.substring(0, 3)) > 89) {
            ds.putString(e.tag(), VR.AS, "090Y");
        }
    }

    /** PS3.15 E.1.1: say what was done. */
    private static void record(Dataset ds) {
        ds.putString(PATIENT_IDENTITY_REMOVED, VR.CS, "YES");
        ds.putString(DEIDENTIFICATION_METHOD, VR.LO, METHOD);
        List<Dataset> codes = List.of(
                code("113100", "Basic Application Confidentiality Profile"),
                code("113107", "Retain Longitudinal Temporal Information Modified Dates Option"),
                code("113108", "Retain Patient Characteristics Option"),
                code("113105", "Clean Descriptors Option"));
        ds.putSequence(DEIDENTIFICATION_METHOD_CODE_SEQUENCE, codes);
        ds.putString(LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED, VR.CS, "MODIFIED");
    }

    private static Dataset code(String value, String meaning) {
        Dataset item = new Dataset();
        item.putString(Tag.CodeValue, VR.SH, value);
        item.putString(Tag.CodingSchemeDesignator, VR.SH, "DCM");
        item.putString(Tag.CodeMeaning, VR.LO, meaning);
        return item;
    }
}
