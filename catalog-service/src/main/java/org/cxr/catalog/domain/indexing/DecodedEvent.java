package org.cxr.catalog.domain.indexing;

import org.cxr.events.CxrEvent;
import org.cxr.events.DeadLetter;

/**
 * The result of decoding one record.
 *
 * @param eventId the CloudEvents id (header, else derived from the payload)
 * @param fact what to index, or null (an unattributable dead letter, or an invalid event)
 * @param deadLetterSeen a dead letter read from convert/label, recorded for operators (else null)
 * @param invalidReason why the record cannot be indexed (then it goes to cxr.catalog.dlq), else null
 * @param event the parsed payload, when it could be parsed
 */
public record DecodedEvent(RawEvent raw, String eventId, Fact fact, DeadLetter deadLetterSeen, String invalidReason,
        CxrEvent event) {

    public boolean invalid() {
        return invalidReason != null;
    }
}
