package org.clinloop.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** Runs the benchmarks matching a regex and prints each subject's ratio to its class's baseline. */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws RunnerException {
        String include = args.length > 0 ? args[0] : ".*";
        Collection<RunResult> results = new Runner(new OptionsBuilder().include(include)
                .addProfiler("gc").build()).run();
        Map<String, RunResult> byName = new LinkedHashMap<>();
        for (RunResult r : results) {
            byName.put(r.getParams().getBenchmark() + params(r), r);
        }
        System.out.println();
        System.out.println("== Ratios to the baseline measured in the same run ==");
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            String cls = name.substring(0, name.lastIndexOf('.'));
            String method = name.substring(name.lastIndexOf('.') + 1);
            if (method.startsWith("limit")) {
                continue;
            }
            byName.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(cls + ".limit") && e.getKey().endsWith(params(r)))
                    .forEach(e -> print(name + params(r), r, e.getKey(), e.getValue()));
        }
    }

    private static void print(String subject, RunResult s, String baseline, RunResult b) {
        double st = s.getPrimaryResult().getScore();
        double bt = b.getPrimaryResult().getScore();
        String unit = s.getPrimaryResult().getScoreUnit();
        boolean timePerOp = unit.endsWith("/op");
        double slower = timePerOp ? st / bt : bt / st;
        System.out.printf(Locale.ROOT, "%-64s %10.4g %-8s | baseline %-52s %10.4g | time per op %.2fx the baseline's "
                        + "(throughput ratio %.3f)%n", short_(subject), st, unit, short_(baseline), bt, slower, 1 / slower);
        var alloc = s.getSecondaryResults().get("gc.alloc.rate.norm");
        if (alloc != null) {
            System.out.printf(Locale.ROOT, "%-60s allocates %.3g %s%n", "", alloc.getScore(), alloc.getScoreUnit());
        }
    }

    private static String params(RunResult r) {
        StringBuilder b = new StringBuilder();
        for (String key : r.getParams().getParamsKeys()) {
            b.append(b.length() == 0 ? "{" : ",").append(key).append('=').append(r.getParams().getParam(key));
        }
        return b.length() == 0 ? "" : b.append('}').toString();
    }

    private static String short_(String name) {
        return name.replace("org.clinloop.bench.", "");
    }
}
