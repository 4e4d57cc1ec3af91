package dev.ferry.features;

import dev.ferry.InvalidInputException;
import java.util.Optional;

/**
 * A PostgreSQL table or query reached through a JDBC URL. DuckDB's postgres extension cannot be
 * installed offline, so the offline store copies the needed columns over JDBC into a DuckDB
 * temporary table. The password is never stored: it is read from the environment variable named
 * by {@code passwordEnv}, or given in the URL.
 *
 * @param jdbcUrl     {@code jdbc:postgresql://host:5432/db}
 * @param table       a table name (optionally schema-qualified), or empty when {@code query} is set
 * @param query       a SELECT whose columns are the view's columns, or empty when {@code table} is set
 * @param user        the user, or empty to use the URL's
 * @param passwordEnv the environment variable holding the password, or empty
 */
public record PostgresSource(String jdbcUrl, Optional<String> table, Optional<String> query,
                             Optional<String> user, Optional<String> passwordEnv) implements Source {

    public PostgresSource {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new InvalidInputException("postgres source url was '" + jdbcUrl + "' but it must start with jdbc:postgresql:");
        }
        if (table.isPresent() == query.isPresent()) {
            throw new InvalidInputException("postgres source " + jdbcUrl + " must have exactly one of table or query");
        }
    }

    public static PostgresSource table(String jdbcUrl, String table) {
        return new PostgresSource(jdbcUrl, Optional.of(table), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static PostgresSource query(String jdbcUrl, String query) {
        return new PostgresSource(jdbcUrl, Optional.empty(), Optional.of(query), Optional.empty(), Optional.empty());
    }

    /** The SQL run on PostgreSQL to read all rows. */
    String selectSql() {
        return table.map(t -> "SELECT * FROM " + t).orElseGet(() -> "SELECT * FROM (" + query.orElseThrow() + ") AS ferry_q");
    }

    @Override
    public String describe() {
        return "postgres:" + jdbcUrl.replaceAll("password=[^&]*", "password=***") + "/" + table.orElse("(query)");
    }
}
