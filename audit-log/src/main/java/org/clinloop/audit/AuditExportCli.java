package org.clinloop.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Verifies an audit export offline: {@code ./clinloop verify-export FILE [--key PUBLIC_KEY.pem]}.
 * Exit status 0 when the export verifies, 1 when it does not, 2 on bad arguments.
 */
public final class AuditExportCli {

    private AuditExportCli() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || !"verify".equals(args[0])) {
            System.err.println("usage: verify FILE [--key PUBLIC_KEY.pem]");
            System.exit(2);
        }
        String pinned = null;
        if (args.length >= 4 && "--key".equals(args[2])) {
            pinned = Files.readString(Path.of(args[3]), StandardCharsets.UTF_8);
        }
        try (BufferedReader in = Files.newBufferedReader(Path.of(args[1]), StandardCharsets.UTF_8)) {
            AuditExport.Result r = AuditExport.verify(in, pinned);
            (r.ok() ? System.out : System.err).println(r.message());
            System.exit(r.ok() ? 0 : 1);
        }
    }
}
