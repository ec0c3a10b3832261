package org.cxr.catalog.service;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.cxr.catalog.domain.split.Split;
import org.cxr.catalog.repository.CatalogWriteLock;
import org.cxr.catalog.repository.OutboxRepository;
import org.cxr.catalog.repository.entity.SplitPinEntity;
import org.cxr.catalog.repository.entity.SubjectEntity;
import org.cxr.catalog.repository.entity.SubjectSplitEntity;
import org.cxr.events.StudyIndexed;
import org.cxr.events.StudyState;
import org.cxr.events.Topics;
import org.hibernate.Session;

/**
 * Operator pins: an operator can put a subject in a split (e.g. test), before or after its first
 * study. The pin is recorded with who, when and why (split_pin); the subject's studies get the new
 * split, a new change_seq (so the next incremental release carries them) and a StudyIndexed event.
 * Nothing else ever changes a subject's split.
 */
@ApplicationScoped
public class SplitService {
    @Inject
    EntityManager em;

    public record PinResult(int subjectId, String oldSplit, String newSplit, boolean subjectCreated, int studiesMoved) {
    }

    @Transactional
    public PinResult pin(int subjectId, Split split, String operator, String reason) {
        Session session = em.unwrap(Session.class);
        session.doWork(CatalogWriteLock::acquire);
        Instant now = Instant.now();
        boolean created = false;
        if (em.find(SubjectEntity.class, subjectId) == null) {
            SubjectEntity s = new SubjectEntity();
            s.subjectId = subjectId;
            s.firstSeenAt = now;
            em.persist(s);
            created = true;
        }
        SubjectSplitEntity ss = em.find(SubjectSplitEntity.class, subjectId);
        String old = ss == null ? null : ss.split;
        boolean newSplit = ss == null;
        if (newSplit) {
            ss = new SubjectSplitEntity();
            ss.subjectId = subjectId;
            ss.assignedAt = now;
        }
        ss.split = split.value();
        ss.method = SubjectSplitEntity.PINNED;
        ss.splitRule = "pinned by operator";
        ss.pinnedBy = operator;
        ss.pinReason = reason;
        ss.pinnedAt = now;
        if (newSplit) {
            em.persist(ss);
        }
        SplitPinEntity audit = new SplitPinEntity();
        audit.subjectId = subjectId;
        audit.oldSplit = old;
        audit.newSplit = split.value();
        audit.pinnedBy = operator;
        audit.reason = reason;
        audit.pinnedAt = now;
        em.persist(audit);
        em.flush();
        int moved = 0;
        if (!split.value().equals(old)) {
            moved = session.doReturningWork(c -> {
                List<StudyIndexed> events = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("UPDATE study SET split = ?, change_seq = nextval('change_seq'),"
                        + " updated_at = ? WHERE subject_id = ?"
                        + " RETURNING study_id, state, images_known, images_converted, images_failed, labelled")) {
                    ps.setString(1, split.value());
                    ps.setTimestamp(2, Timestamp.from(now));
                    ps.setInt(3, subjectId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            events.add(new StudyIndexed(StudyIndexed.SCHEMA_VERSION, Integer.toString(subjectId),
                                    Integer.toString(rs.getInt(1)), StudyState.valueOf(rs.getString(2)), rs.getInt(3),
                                    rs.getInt(4), rs.getInt(5), rs.getBoolean(6), split.value(), now));
                        }
                    }
                }
                new OutboxRepository(c).append(events.stream()
                        .map(e -> OutboxRepository.Entry.of(Topics.STUDY_INDEXED, e, e.pinnedEventId())).toList(), now);
                return events.size();
            });
        }
        return new PinResult(subjectId, old, split.value(), created, moved);
    }
}
