package dev.ferry.cli;

import dev.ferry.online.OnlineStore;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;

/** The {@code --online} option every command that touches the online store shares. */
final class OnlineStoreOption {

    @Option(names = "--online", defaultValue = "${env:FERRY_ONLINE:-rocksdb}",
            description = "Online store: rocksdb (<data-dir>/online), redis://host:port or redis-cluster://h:p,h:p (default: ${DEFAULT-VALUE}).")
    String online;

    OnlineStore open(Path dataDir, Clock clock) {
        return Wiring.onlineStore(online, dataDir, clock);
    }
}
