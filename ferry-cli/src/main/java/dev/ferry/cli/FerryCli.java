package dev.ferry.cli;

import dev.ferry.ErrorKind;
import dev.ferry.FerryException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ferry} command. Every failure with a meaning ({@link FerryException}) is printed as
 * one line and exits with its kind's code ({@link ErrorKind#exitCode()}); anything else is a
 * defect and exits 1 with the stack trace.
 */
@Command(name = "ferry", mixinStandardHelpOptions = true, versionProvider = FerryCli.Version.class,
        description = "Ferry: take trained models (ONNX, XGBoost, LightGBM) into production on the JVM.",
        subcommands = {CommandLine.HelpCommand.class})
public final class FerryCli {

    /** Held so the level set in main is not lost to garbage collection of the logger. */
    private static final java.util.logging.Logger HELIDON_LOG = java.util.logging.Logger.getLogger("io.helidon");

    public static void main(String[] args) {
        // The server's start-up chatter (features, sockets) would bury the CLI's own output.
        HELIDON_LOG.setLevel(java.util.logging.Level.WARNING);
        int code = execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        if (code != 0 || !DemoCommand.keepRunning()) {
            System.exit(code);
        }
    }

    /** Runs the CLI with the given streams; returns the exit code. Used by tests. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new FerryCli());
        cl.addSubcommand(new ModelsCommand());
        cl.addSubcommand(new FeaturesCommand());
        cl.addSubcommand(new IngestCommand());
        cl.addSubcommand(new ServeCommand());
        cl.addSubcommand(new DemoCommand());
        cl.addSubcommand(new MonitorCommand());
        cl.addSubcommand(new CheckCommand());
        cl.addSubcommand(new PipelineCommand());
        cl.addSubcommand(new RunsCommand());
        cl.addSubcommand(new ScoreCommand());
        cl.addSubcommand(new ScheduleCommand());
        cl.addSubcommand(new RolloutCommand());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof FerryException fe) {
                err.println("ferry: " + fe.getMessage());
                err.flush();
                return fe.kind().exitCode();
            }
            err.println("ferry: internal error: " + ex);
            ex.printStackTrace(err);
            err.flush();
            return ErrorKind.INTERNAL.exitCode();
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("ferry: " + ex.getMessage());
            ex.getCommandLine().usage(err);
            return ErrorKind.INVALID_INPUT.exitCode();
        });
        return cl;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = FerryCli.class.getPackage().getImplementationVersion();
            return new String[] {"ferry " + (v == null ? "0.1.0-SNAPSHOT" : v), "JVM " + Runtime.version()};
        }
    }
}
