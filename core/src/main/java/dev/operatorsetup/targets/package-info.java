/**
 * The operators this library installs ({@link dev.operatorsetup.targets.OperatorTarget}) and how
 * their controllers get an AWS identity ({@link dev.operatorsetup.targets.IdentityMode}).
 */
package dev.operatorsetup.targets;
