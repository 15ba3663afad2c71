/**
 * Loading, parsing, converting and patching the operator's installer manifests. Not public API: use
 * {@link dev.operatorsetup.Manifests}; these classes may change in any release.
 */
package dev.operatorsetup.internal.manifest;
