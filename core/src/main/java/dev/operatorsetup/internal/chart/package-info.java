/**
 * Resolving Helm charts to local directories: the bundled copies (extracted from the jar, each file
 * checked), chart directories, {@code .tgz} archives (extracted safely) and pinned https downloads.
 * Not public API: use {@link dev.operatorsetup.Charts}; these classes may change in any release.
 */
package dev.operatorsetup.internal.chart;
