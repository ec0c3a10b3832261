package org.cxr.catalog.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.cxr.catalog.domain.indexing.RawEvent;
import org.cxr.catalog.repository.CatalogCommitted;
import org.cxr.catalog.repository.CatalogWriteLock;
import org.cxr.catalog.repository.OutboxRepository;
import org.cxr.catalog.repository.RedriveRows;
import org.cxr.events.DeadLetter;
import org.cxr.events.EventJson;
import org.cxr.events.Topics;
import org.hibernate.Session;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * An operator's redrive of dead letters (issue 16 item 2). Convert's and label's go back to their
 * stage: the original event, its {@code ce_id} and type, on {@code cxr.convert.redrive} /
 * {@code cxr.label.redrive} with header {@code cxr-attempts} = the attempts it had (1 when the
 * dead letter has no count), through the outbox (sent once the request's transaction committed).
 * The catalog's own are indexed again in place. Idempotent: each dead letter is redriven at most
 * once per request id, and not at all while a redrive since its last failure is pending or
 * succeeded (a double click, two operators, a retried CLI call); failing again makes it redrivable.
 */
@ApplicationScoped
public class RedriveService {
    private static final Logger LOG = Logger.getLogger(RedriveService.class);
    /** Dead letters one request takes at most (a larger backlog: run it again). */
    public static final int MAX_PER_REQUEST = 10_000;
    public static final Set<String> STAGES = Set.of("convert", "label", "catalog");

    @Inject
    EntityManager em;
    @Inject
    CatalogIndexer indexer;
    @Inject
    Event<CatalogCommitted> committed;

    /**
     * @param selected        dead letters the request named or matched
     * @param redriven        sent (or re-indexed) by this call
     * @param alreadyRedriven matched but already redriven since their last failure (or by this request)
     * @param byStage         redriven per stage (on a dry run: what would be)
     * @param eventIds        the first 100 redriven (would-be on a dry run) dead-letter ids
     */
    public record Result(String requestId, boolean dryRun, int selected, int redriven, int alreadyRedriven,
            Map<String, Integer> byStage, List<String> eventIds) {
    }

    public Result redrive(List<String> eventIds, String stage, String reason, String requestId, String requestedBy,
            boolean dryRun) {
        Instant now = Instant.now();
        List<RawEvent> reindex = new ArrayList<>();
        Result result = DatabaseOutages.retrying("redriving dead letters", () -> QuarkusTransaction.requiringNew()
                .call(() -> em.unwrap(Session.class).doReturningWork(c -> {
                    reindex.clear();
                    CatalogWriteLock.acquire(c);
                    RedriveRows rows = new RedriveRows(c);
                    List<RedriveRows.Selected> selected = rows.select(eventIds, stage, reason, MAX_PER_REQUEST);
                    List<RedriveRows.Selected> open = selected.stream().filter(s -> !s.redriven()).toList();
                    Set<String> sent = new LinkedHashSet<>();
                    if (dryRun) {
                        open.forEach(s -> sent.add(s.eventId()));
                    } else if (!open.isEmpty()) {
                        sent.addAll(rows.record(open.stream().map(RedriveRows.Selected::eventId).toList(),
                                open.stream().map(RedriveService::target).toList(),
                                open.stream().map(RedriveService::attempts).toList(), requestId, requestedBy, now));
                        List<OutboxRepository.Entry> out = new ArrayList<>();
                        for (RedriveRows.Selected s : open) {
                            if (!sent.contains(s.eventId())) {
                                continue;
                            }
                            DeadLetter d = EventJson.read(s.payload(), DeadLetter.class);
                            String original = text(d.originalEvent());
                            String key = s.studyId() == null ? null : s.studyId().toString();
                            if (original == null) {
                                continue; // nothing to send (recorded as redriven: it cannot succeed)
                            }
                            if ("catalog".equals(s.stage())) {
                                reindex.add(new RawEvent(s.originalTopic(), key, original, s.originalEventId(), -1, -1));
                            } else {
                                out.add(new OutboxRepository.Entry(target(s), key, s.originalEventId(),
                                        d.originalEventType(), original, attempts(s)));
                            }
                        }
                        new OutboxRepository(c).append(out, now);
                    }
                    Map<String, Integer> byStage = new TreeMap<>();
                    open.stream().filter(s -> sent.contains(s.eventId())).forEach(s -> byStage.merge(s.stage(), 1, Integer::sum));
                    return new Result(requestId, dryRun, selected.size(), sent.size(), selected.size() - sent.size(),
                            byStage, sent.stream().limit(100).toList());
                })));
        if (!dryRun && result.redriven() > 0) {
            committed.fire(new CatalogCommitted()); // publish the outbox now
            LOG.infof("redrive %s by %s: %d dead letter(s) %s", requestId, requestedBy, result.redriven(), result.byStage());
        }
        if (!reindex.isEmpty()) {
            indexer.index(reindex); // a record that fails again is dead-lettered again (and becomes redrivable)
        }
        return result;
    }

    /** Where a dead letter of a stage goes back to (the catalog's: its original topic, indexed in place). */
    private static String target(RedriveRows.Selected s) {
        return switch (s.stage()) {
            case "convert" -> Topics.CONVERT_REDRIVE;
            case "label" -> Topics.LABEL_REDRIVE;
            default -> s.originalTopic() == null ? "catalog" : s.originalTopic();
        };
    }

    private static int attempts(RedriveRows.Selected s) {
        return s.attempts() == null || s.attempts() < 1 ? 1 : s.attempts();
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.isTextual() ? n.asText() : n.toString();
    }
}
