package dev.ferry.features;

/**
 * Where a view's rows live: a Parquet file, a CSV file, or a PostgreSQL table or query. The
 * offline store reads files in place; PostgreSQL rows are copied through JDBC (see
 * {@link PostgresSource}).
 */
public sealed interface Source permits ParquetSource, CsvSource, PostgresSource {

    /** A short description used in manifests and messages, e.g. {@code file:/data/loans.parquet}. */
    String describe();
}
