package dev.ferry.monitoring.outcome;

/**
 * Why an outcome record was not ingested: where it was ({@code position}: file row, table row or
 * topic offset), the field at fault ({@code $} for the whole record), the value found (or
 * {@code (missing)}) and what was expected. A rejection never stops ingestion.
 */
public record Rejection(String position, String field, String value, String expected) {

    /** One line for logs and the CLI. */
    public String message() {
        return position + ": field '" + field + "' was " + value + " but " + expected;
    }
}
