package org.cxr.platform.messaging;

/** The broker refused an event or did not acknowledge it in time: an outage, worth retrying. */
public class BrokerUnavailableException extends RuntimeException {
    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
