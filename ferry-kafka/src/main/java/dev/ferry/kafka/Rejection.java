package dev.ferry.kafka;

/**
 * Why a message was not ingested: the field at fault ({@code $} for the whole message), the value
 * found (as JSON text, or {@code (missing)}), what was expected, and the full reason. Carried in
 * the dead-letter message's headers.
 */
public record Rejection(String field, String value, String expected, String reason) {
}
