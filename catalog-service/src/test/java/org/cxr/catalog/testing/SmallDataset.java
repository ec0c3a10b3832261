package org.cxr.catalog.testing;

import static org.cxr.catalog.testing.TestEvents.T0;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.cxr.catalog.domain.indexing.RawEvent;
import org.cxr.events.FailureReason;
import org.cxr.events.InstanceReceived;
import org.cxr.events.Observation;
import org.cxr.events.ReportReceived;
import org.cxr.events.ReportSection;
import org.cxr.events.Topics;

/**
 * A deterministic small data set that exercises the indexing rules: studies with 1-3 images (PA,
 * AP, LATERAL, LL), reports labelled from IMPRESSION/FINDINGS/LAST_PARAGRAPH or NONE (no label row),
 * report revisions (an addendum relabelled), a late image, failed conversions, a rejected report,
 * a study whose only image failed, and studies still waiting for conversion.
 */
public final class SmallDataset {
    private static final String[] VIEWS = {"PA", "LATERAL", "AP", "LL"};
    private static final String[] TIMES = {"080556.875", "213014.531000", "080556", "120000.5", "000013"};

    public final List<RawEvent> events = new ArrayList<>();
    /** (subject, study, dicom) of every image that ends up converted. */
    public final List<String[]> convertedImages = new ArrayList<>();
    public final int studies;

    public SmallDataset(int studies, long seed, int subjectBase, int studyBase) {
        this.studies = studies;
        Random rnd = new Random(seed);
        for (int s = 0; s < studies; s++) {
            String subject = TestEvents.subject(subjectBase + s / 3);
            String study = TestEvents.study(studyBase + s * 7);
            int images = 1 + rnd.nextInt(3);
            String date = Integer.toString(21500101 + rnd.nextInt(28) + 100 * rnd.nextInt(12) + 10000 * rnd.nextInt(50));
            for (int k = 0; k < images; k++) {
                String dicom = TestEvents.dicom(study + ":" + k);
                InstanceReceived r = TestEvents.received(subject, study, dicom, T0.plusSeconds(s * 10L + k));
                events.add(TestEvents.raw(Topics.INSTANCE_RECEIVED, r));
                boolean failed = s % 11 == 5 && k == images - 1 || s % 13 == 7;
                boolean pending = s % 17 == 3;
                if (failed) {
                    events.add(TestEvents.raw(Topics.CONVERT_DLQ,
                            TestEvents.convertFailed(r, FailureReason.UNSUPPORTED_TRANSFER_SYNTAX)));
                } else if (!pending) {
                    events.add(TestEvents.raw(Topics.INSTANCE_CONVERTED, TestEvents.converted(subject, study, dicom,
                            TestEvents.metadata(VIEWS[(k + s) % VIEWS.length], date, TIMES[(s + k) % TIMES.length]),
                            T0.plusSeconds(100 + s * 10L + k), "convert-1.0.0")));
                    convertedImages.add(new String[] {subject, study, dicom});
                }
            }
            String text = "FINDINGS: report of " + study + "\nIMPRESSION: something " + s;
            ReportReceived rr = TestEvents.report(subject, study, text, 1, T0.plusSeconds(s * 10L));
            events.add(TestEvents.raw(Topics.REPORT_RECEIVED, rr));
            if (s % 19 == 9) {
                events.add(TestEvents.raw(Topics.LABEL_DLQ, TestEvents.labelFailed(rr, FailureReason.EMPTY_REPORT)));
                continue;
            }
            ReportSection section = s % 10 == 4 ? ReportSection.NONE
                    : s % 5 == 1 ? ReportSection.FINDINGS : s % 7 == 2 ? ReportSection.LAST_PARAGRAPH
                    : ReportSection.IMPRESSION;
            events.add(TestEvents.raw(Topics.REPORT_LABELLED, TestEvents.labelled(subject, study, text, section,
                    labels(rnd, true), labels(rnd, false), "label-1.0.0", T0.plusSeconds(200 + s))));
            if (s % 8 == 6) {
                // an addendum: revision 2, relabelled; the revision-1 labels must not come back
                String text2 = text + "\nADDENDUM: pneumothorax.";
                events.add(TestEvents.raw(Topics.REPORT_RECEIVED, TestEvents.report(subject, study, text2, 2,
                        T0.plusSeconds(1000 + s))));
                events.add(TestEvents.raw(Topics.REPORT_LABELLED, TestEvents.labelled(subject, study, text2,
                        ReportSection.IMPRESSION, "Pneumothorax=1", "Pneumothorax=1", "label-1.0.0", T0.plusSeconds(1100 + s))));
            }
            if (s % 9 == 8) {
                // a late image, converted after the study was complete
                String dicom = TestEvents.dicom(study + ":late");
                events.add(TestEvents.raw(Topics.INSTANCE_RECEIVED, TestEvents.received(subject, study, dicom,
                        T0.plusSeconds(2000 + s))));
                events.add(TestEvents.raw(Topics.INSTANCE_CONVERTED, TestEvents.converted(subject, study, dicom,
                        TestEvents.metadata("LATERAL", date, "101010.1"), T0.plusSeconds(2100 + s), "convert-1.0.1")));
                convertedImages.add(new String[] {subject, study, dicom});
            }
        }
    }

    private static String labels(Random rnd, boolean chexpert) {
        StringBuilder sb = new StringBuilder();
        boolean abnormal = false;
        for (Observation o : Observation.values()) {
            if (o == Observation.NO_FINDING) {
                continue;
            }
            int r = rnd.nextInt(10);
            String v = r == 0 ? "1" : r == 1 ? "0" : r == 2 ? (chexpert ? "-1" : "0") : null;
            if (v != null) {
                sb.append(sb.length() == 0 ? "" : ",").append(o.column()).append('=').append(v);
                abnormal |= !v.equals("0") && o != Observation.SUPPORT_DEVICES;
            }
        }
        if (!abnormal) {
            sb.append(sb.length() == 0 ? "" : ",").append("No Finding=1");
        }
        return sb.toString();
    }
}
