package org.cxr.catalog.repository.entity;

import java.io.Serializable;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.cxr.events.Observation;

/** A study's current labels from one labeler: 14 nullable values (1, 0, -1). */
@Entity
@Table(name = "study_label")
public class StudyLabelEntity {
    @EmbeddedId
    public Key id;

    @Column(name = "atelectasis")
    public Short atelectasis;
    @Column(name = "cardiomegaly")
    public Short cardiomegaly;
    @Column(name = "consolidation")
    public Short consolidation;
    @Column(name = "edema")
    public Short edema;
    @Column(name = "enlarged_cardiomediastinum")
    public Short enlargedCardiomediastinum;
    @Column(name = "fracture")
    public Short fracture;
    @Column(name = "lung_lesion")
    public Short lungLesion;
    @Column(name = "lung_opacity")
    public Short lungOpacity;
    @Column(name = "no_finding")
    public Short noFinding;
    @Column(name = "pleural_effusion")
    public Short pleuralEffusion;
    @Column(name = "pleural_other")
    public Short pleuralOther;
    @Column(name = "pneumonia")
    public Short pneumonia;
    @Column(name = "pneumothorax")
    public Short pneumothorax;
    @Column(name = "support_devices")
    public Short supportDevices;

    @Column(name = "labeler_version", nullable = false, length = 100)
    public String labelerVersion;

    @Column(name = "report_sha256", nullable = false, length = 64)
    public String reportSha256;

    /** The 14 values in published column order ({@link Observation} order). */
    public Short[] values() {
        return new Short[] {atelectasis, cardiomegaly, consolidation, edema, enlargedCardiomediastinum, fracture,
                lungLesion, lungOpacity, noFinding, pleuralEffusion, pleuralOther, pneumonia, pneumothorax,
                supportDevices};
    }

    /** The database column of each observation, in {@link Observation} order. */
    public static final String[] COLUMNS = {"atelectasis", "cardiomegaly", "consolidation", "edema",
            "enlarged_cardiomediastinum", "fracture", "lung_lesion", "lung_opacity", "no_finding", "pleural_effusion",
            "pleural_other", "pneumonia", "pneumothorax", "support_devices"};

    @Embeddable
    public static class Key implements Serializable {
        @Column(name = "study_id")
        public Integer studyId;

        @Column(name = "labeler", length = 8)
        public String labeler;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(studyId, k.studyId) && Objects.equals(labeler, k.labeler);
        }

        @Override
        public int hashCode() {
            return Objects.hash(studyId, labeler);
        }
    }
}
