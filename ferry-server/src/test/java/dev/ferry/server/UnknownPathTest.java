package dev.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A path no route serves was answered 500 "internal error: NotFoundException"; it is a 404 with a JSON body. */
class UnknownPathTest {

    @TempDir
    Path dir;
    ServerHarness h;

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void aPathNoRouteServesIsA404WithAJsonBody() throws Exception {
        h = new ServerHarness(dir);
        h.start(c -> { });
        ServerHarness.Reply r = h.get("/no/such/path");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("kind").asText()).isEqualTo("not_found");
    }
}
