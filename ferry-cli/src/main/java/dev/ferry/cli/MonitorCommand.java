package dev.ferry.cli;

import picocli.CommandLine.Command;

/** {@code ferry monitor}: watch models after they ship (outcomes, accuracy). */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = "Monitor served models: ingest outcomes, compute accuracy over time.",
        subcommands = {MonitorOutcomesCommand.class, MonitorAccuracyCommand.class})
final class MonitorCommand {
}
