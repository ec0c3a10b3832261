package org.cxr.ingest.service;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.cxr.ingest.domain.ids.Pseudonyms;
import org.cxr.ingest.repository.IngestRepository;

/**
 * Receipts stand for research ids in what an uploader is answered (issue 12 item 4: no
 * PatientID → subjectId oracle). Recorded with the object they name, in the same transaction;
 * looked up by a researcher or operator.
 */
@ApplicationScoped
public class Receipts {
    @Inject
    Pseudonyms pseudonyms;
    @Inject
    IngestRepository repo;

    /** The receipt of a stored instance, or null when nothing was stored under ids. */
    public String instance(String dicomId) {
        return dicomId == null ? null : pseudonyms.receipt("instance:" + dicomId);
    }

    /** The receipt of a report revision, or null. */
    public String report(String studyId, int revision) {
        return studyId == null || revision <= 0 ? null : pseudonyms.receipt("report:" + studyId + "/" + revision);
    }

    /** Called inside the transaction that records the instance. */
    void recordInstance(String studyId, String dicomId) {
        repo.insertReceipt(instance(dicomId), studyId, dicomId, null);
    }

    /** Called inside the transaction that records the report revision. */
    void recordReport(String studyId, int revision) {
        repo.insertReceipt(report(studyId, revision), studyId, null, revision);
    }

    @Transactional
    public Optional<IngestRepository.ReceiptRow> find(String receipt) {
        if (receipt == null || !receipt.matches("[0-9a-f]{32}")) {
            return Optional.empty();
        }
        return repo.receipt(receipt);
    }
}
