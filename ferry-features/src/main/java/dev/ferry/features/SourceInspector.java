package dev.ferry.features;

import java.util.Map;

/**
 * Reads the real column names and types of a source, so definitions can be checked against the
 * data before they are applied. {@link OfflineStore} implements it with DuckDB (and JDBC for
 * PostgreSQL).
 */
public interface SourceInspector {

    /**
     * The source's columns, name to the engine's type name ({@code BIGINT}, {@code VARCHAR}, ...),
     * in source order. Throws a {@link dev.ferry.FerryException} when the source cannot be read.
     */
    Map<String, String> columns(Source source);
}
