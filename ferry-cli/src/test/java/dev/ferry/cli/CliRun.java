package dev.ferry.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One CLI invocation's exit code and output, run in-process. */
record CliRun(int code, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FerryCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
