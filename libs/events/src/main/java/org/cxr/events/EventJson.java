package org.cxr.events;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON mapping of event payloads: ISO-8601 instants, nulls written (an empty label is
 * {@code null}, not absent), unknown fields ignored so that consumers tolerate additive changes.
 */
public final class EventJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS);

    private EventJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String write(CxrEvent event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode tree(CxrEvent event) {
        return MAPPER.valueToTree(event);
    }

    /**
     * Parses a payload. Throws {@link InvalidEventException} when it is not valid JSON for the type,
     * misses required ids, or has a schema version this code does not understand.
     */
    public static <T extends CxrEvent> T read(String json, Class<T> type) {
        T event;
        try {
            event = MAPPER.readValue(json, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidEventException("not a valid " + type.getSimpleName() + ": " + rootMessage(e), e);
        }
        int supported = supportedVersion(type);
        if (event.schemaVersion() < 1 || event.schemaVersion() > supported) {
            throw new InvalidEventException(type.getSimpleName() + " schemaVersion " + event.schemaVersion()
                    + " is not supported (this consumer understands 1.." + supported + ")", null);
        }
        return event;
    }

    private static int supportedVersion(Class<? extends CxrEvent> type) {
        try {
            return type.getField("SCHEMA_VERSION").getInt(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + " lacks SCHEMA_VERSION", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.toString() : m.lines().findFirst().orElse(m);
    }

    /** A payload that cannot be understood; goes to the consumer's dead-letter topic. */
    public static final class InvalidEventException extends RuntimeException {
        public InvalidEventException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
