package org.cxr.catalog.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.cxr.catalog.service.CatalogIndexer;
import org.cxr.events.InstanceConverted;
import org.cxr.events.InstanceReceived;
import org.cxr.events.MentionSpan;
import org.cxr.events.ReportLabelled;
import org.cxr.events.ReportReceived;
import org.cxr.events.ReportSection;
import org.cxr.events.Topics;
import org.cxr.platform.storage.ObjectStore;

/**
 * A COMPLETE study for the study page: one PA image converted, whose JPG (a real 1200 x 1000
 * grayscale JPEG) is in the store, and a report labelled with two mention spans.
 */
public final class LabelledStudy {
    public static final String SECTION = "No pleural effusion. Mild pulmonary edema. Possible pneumonia.";

    public final String subject;
    public final String study;
    public final String dicom;
    public final List<MentionSpan> mentions = List.of(
            new MentionSpan("Pleural Effusion", 3, 19, 0.0, null),
            new MentionSpan("Edema", 36, 41, 1.0, null),
            new MentionSpan("Pneumonia", 52, 61, -1.0, 0.0));

    public LabelledStudy(int n, CatalogIndexer indexer, ObjectStore store) {
        subject = TestEvents.subject(n);
        study = TestEvents.study(n);
        dicom = TestEvents.dicom("page" + n);
        Instant t = Instant.now().minusSeconds(30);
        InstanceReceived received = TestEvents.received(subject, study, dicom, t);
        InstanceConverted converted = TestEvents.converted(subject, study, dicom, TestEvents.metadata("PA", "21800101",
                "080556"), t.plusSeconds(5), "convert-1");
        ReportReceived report = TestEvents.report(subject, study, SECTION, 1, t.plusSeconds(1));
        ReportLabelled plain = TestEvents.labelled(subject, study, SECTION, ReportSection.IMPRESSION,
                "Edema=1,Pleural Effusion=0,Pneumonia=-1", "Edema=1,Pleural Effusion=0,Pneumonia=-1", "label-1",
                t.plusSeconds(6));
        ReportLabelled labelled = new ReportLabelled(1, subject, study, plain.reportKey(), plain.reportSha256(),
                plain.section(), SECTION, plain.chexpert(), plain.negbio(), plain.labelerVersion(), plain.labelledAt(),
                mentions);
        store.put(converted.bucket(), converted.jpgKey(), jpeg(1200, 1000), "image/jpeg", Map.of());
        indexer.index(List.of(TestEvents.raw(Topics.INSTANCE_RECEIVED, received),
                TestEvents.raw(Topics.INSTANCE_CONVERTED, converted), TestEvents.raw(Topics.REPORT_RECEIVED, report),
                TestEvents.raw(Topics.REPORT_LABELLED, labelled)));
    }

    static byte[] jpeg(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.DARK_GRAY);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.LIGHT_GRAY);
        g.fillOval(w / 6, h / 6, 2 * w / 3, 2 * h / 3);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "jpeg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
