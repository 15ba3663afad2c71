package dev.operatorsetup.examples.cli;

import dev.operatorsetup.OperatorSetup;
import java.io.PrintStream;
import java.util.function.UnaryOperator;

/**
 * One run of the command: where its output goes, and how the library's options are changed just
 * before the operation runs (tests put in-memory fakes in place of AWS and Kubernetes there).
 */
record Session(PrintStream out, PrintStream err, UnaryOperator<OperatorSetup.Options> customize) {}
