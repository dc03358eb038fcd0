package io.seismo.launcher;

import io.seismo.cli.Seismo;
import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the seismo CLI, in process, against a control API with the write token: its exit code and output. */
record CliRun(int code, String out, String err) {

  static CliRun seismo(String api, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 4];
    all[0] = "--api";
    all[1] = api;
    all[2] = "--token";
    all[3] = TestStack.WRITE_TOKEN;
    System.arraycopy(args, 0, all, 4, args.length);
    int code = Seismo.run(all, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun(code, out.toString(), err.toString());
  }
}
