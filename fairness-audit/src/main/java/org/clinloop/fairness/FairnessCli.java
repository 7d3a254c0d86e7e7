package org.clinloop.fairness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command line: audits a CSV in the Aequitas layout and prints the report.
 *
 * <pre>
 * fairness FILE [--tau 0.8] [--reference majority|min_metric|attr=group,attr=group]
 *               [--min-group-size N] [--intersect a:b]... [--alpha 0.05] [--format json|csv]
 * </pre>
 */
public final class FairnessCli {

    private FairnessCli() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try {
            out.print(run(List.of(args)));
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("fairness: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
        }
    }

    static String usage() {
        return "usage: fairness FILE [--tau 0.8] [--reference majority|min_metric|attr=group,...] "
                + "[--min-group-size N] [--intersect a:b]... [--alpha 0.05] [--format json|csv]";
    }

    static String run(List<String> args) throws IOException {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("Expected a CSV file, found no arguments.");
        }
        Path file = Path.of(args.get(0));
        double tau = 0.8;
        double alpha = 0.05;
        int minGroup = 1;
        ReferencePolicy policy = ReferencePolicy.MAJORITY;
        Map<String, String> named = new LinkedHashMap<>();
        List<List<String>> intersections = new ArrayList<>();
        String format = "json";
        for (int i = 1; i < args.size(); i++) {
            String flag = args.get(i);
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException("Expected a value after " + flag + ", found none.");
            }
            String value = args.get(++i);
            switch (flag) {
                case "--tau" -> tau = number(flag, value);
                case "--alpha" -> alpha = number(flag, value);
                case "--min-group-size" -> minGroup = (int) number(flag, value);
                case "--format" -> format = value;
                case "--intersect" -> intersections.add(List.of(value.split(":", 2)));
                case "--reference" -> {
                    if ("majority".equalsIgnoreCase(value)) {
                        policy = ReferencePolicy.MAJORITY;
                    } else if ("min_metric".equalsIgnoreCase(value)) {
                        policy = ReferencePolicy.MIN_METRIC;
                    } else {
                        policy = ReferencePolicy.NAMED;
                        for (String pair : value.split(",")) {
                            String[] kv = pair.split("=", 2);
                            if (kv.length != 2) {
                                throw new IllegalArgumentException("Expected attr=group in --reference, found " + pair + ".");
                            }
                            named.put(kv[0], kv[1]);
                        }
                    }
                }
                default -> throw new IllegalArgumentException("Unknown option " + flag + ".");
            }
        }
        if (!format.equals("json") && !format.equals("csv")) {
            throw new IllegalArgumentException("Expected --format json or csv, found " + format + ".");
        }
        FairnessTable table;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            table = AequitasCsv.read(in);
        }
        FairnessReport report = FairnessAudit.audit(table,
                new AuditSettings(tau, policy, named, alpha, minGroup, intersections));
        if (format.equals("csv")) {
            return ReportFormats.csv(report);
        }
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(ReportFormats.json(report)) + "\n";
    }

    private static double number(String flag, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Expected a number after " + flag + ", found " + value + ".");
        }
    }
}
