package dev.ferry.pipeline.runs;

import dev.ferry.registry.CodeVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What a run records about where it ran: the git commit and dirty flag of the pipeline's
 * directory (through the {@code git} command), the JDK, the OS, and the versions of Ferry and
 * the libraries whose behaviour decides a model's bytes (XGBoost, DuckDB, ...).
 */
public final class Environment {

    private static final String[][] LIBRARIES = {
        {"dev.ferry", "ferry-pipeline", "ferry", "dev.ferry.pipeline.PipelineRunner"},
        {"ml.dmlc", "xgboost4j_2.12", "xgboost4j", "ml.dmlc.xgboost4j.java.XGBoost"},
        {"io.github.metarank", "lightgbm4j", "lightgbm4j", "io.github.metarank.lightgbm4j.LGBMBooster"},
        {"org.duckdb", "duckdb_jdbc", "duckdb", "org.duckdb.DuckDBDriver"},
        {"com.microsoft.onnxruntime", "onnxruntime", "onnxruntime", "ai.onnxruntime.OrtEnvironment"},
    };

    private Environment() {
    }

    /** JDK, OS and library versions (a library not on the class path is left out). */
    public static Map<String, String> versions() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("java.version", System.getProperty("java.version"));
        m.put("java.vendor", System.getProperty("java.vendor"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        for (String[] lib : LIBRARIES) {
            String v = Optional.ofNullable(mavenVersion(lib[0], lib[1])).orElseGet(() -> packageVersion(lib[3]));
            if (v != null) {
                m.put(lib[2], v);
            }
        }
        if (!m.containsKey("duckdb")) {
            try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:")) {
                m.put("duckdb", c.getMetaData().getDatabaseProductVersion());
            } catch (java.sql.SQLException e) {
                // DuckDB is not on the class path: nothing to record
            }
        }
        m.putIfAbsent("ferry", Optional.ofNullable(Environment.class.getPackage().getImplementationVersion()).orElse("0.1.0-SNAPSHOT"));
        return m;
    }

    private static String packageVersion(String className) {
        try {
            return Class.forName(className, false, Environment.class.getClassLoader()).getPackage().getImplementationVersion();
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static String mavenVersion(String group, String artifact) {
        String res = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Environment.class.getClassLoader().getResourceAsStream(res)) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            return null;
        }
    }

    /** The git commit of {@code dir} and whether tracked files have uncommitted changes; unknown outside a repository. */
    public static CodeVersion code(Path dir) {
        String commit = git(dir, "rev-parse", "HEAD");
        if (commit == null || commit.length() < 40) {
            return CodeVersion.UNKNOWN;
        }
        String status = git(dir, "status", "--porcelain", "--untracked-files=no");
        return new CodeVersion(commit, status != null && !status.isBlank());
    }

    private static String git(Path dir, String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "git";
        cmd[1] = "-C";
        cmd[2] = dir.toString();
        System.arraycopy(args, 0, cmd, 3, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
