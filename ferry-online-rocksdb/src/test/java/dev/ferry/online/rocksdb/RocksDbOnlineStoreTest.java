package dev.ferry.online.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.UnavailableException;
import dev.ferry.ValidationFailedException;
import dev.ferry.online.EntityKey;
import dev.ferry.online.FeatureStatus;
import dev.ferry.testing.MutableClock;
import dev.ferry.online.OnlineStore;
import dev.ferry.online.OnlineStoreContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class RocksDbOnlineStoreTest extends OnlineStoreContract {

    @TempDir
    Path dir;

    @Override
    protected OnlineStore newStore(MutableClock clock) {
        return RocksDbOnlineStore.open(dir.resolve("online"), clock);
    }

    @Test
    void valuesSurviveCloseAndReopen() {
        store.write(VIEW, List.of(record("u1", T0, "x", new double[] {1, 2}, "y", null)));
        store.write("other@1", List.of(record("u1", T0, "x", 7)));
        store.dropView("other@1");
        store.close();

        store = RocksDbOnlineStore.open(dir.resolve("online"), clock);

        assertThat(readOne(VIEW, "u1", "x").value()).isEqualTo(new double[] {1, 2});
        assertThat(readOne(VIEW, "u1", "y").status()).isEqualTo(FeatureStatus.NULL_VALUE);
        assertThat(readOne("other@1", "u1", "x").status()).isEqualTo(FeatureStatus.NOT_FOUND);
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefusedWhileTheFirstIsOpen() {
        assertThatThrownBy(() -> RocksDbOnlineStore.open(dir.resolve("online"), clock))
                .isInstanceOf(UnavailableException.class)
                .hasMessageContaining(dir.resolve("online").toString());
    }

    @Test
    void aDatabaseOfAnotherFormatVersionIsRefused() throws Exception {
        Path other = dir.resolve("future");
        try (Options o = new Options().setCreateIfMissing(true); RocksDB db = RocksDB.open(o, other.toString())) {
            db.put("\u0001ferry.online.format".getBytes(StandardCharsets.UTF_8), new byte[] {2});
        }
        assertThatThrownBy(() -> RocksDbOnlineStore.open(other, clock))
                .isInstanceOf(ValidationFailedException.class)
                .hasMessageContaining("format version 2")
                .hasMessageContaining("reads version 1");
    }

    @Test
    void aClosedStoreRefusesWorkInsteadOfCrashing() {
        store.close();
        assertThatThrownBy(() -> store.read(VIEW, List.of(EntityKey.of("u1")), List.of("x")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
