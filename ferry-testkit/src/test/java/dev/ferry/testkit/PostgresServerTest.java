package dev.ferry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgresServerTest {

    @Test
    void eachDatabaseIsEmptyAndSeparateFromTheOthers() throws SQLException {
        PostgresServer server = PostgresServer.shared();
        PostgresServer.Database a = server.newDatabase();
        PostgresServer.Database b = server.newDatabase();

        try (Connection c = a.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (x int)");
            s.execute("INSERT INTO t VALUES (42)");
            try (ResultSet rs = s.executeQuery("SELECT x FROM t")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
        try (Connection c = b.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('t') IS NULL, current_schema()")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("the other test's table is not visible").isTrue();
            assertThat(rs.getString(2)).isEqualTo(b.schema());
        }
        assertThat(a.schema()).isNotEqualTo(b.schema());
    }

    @Test
    void theServerIsSharedWithinTheJvm() {
        assertThat(PostgresServer.shared()).isSameAs(PostgresServer.shared());
        assertThat(PostgresServer.shared().embedded()).isEqualTo(System.getenv(PostgresServer.URL_ENV) == null);
    }
}
