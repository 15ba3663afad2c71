/**
 * The operators this library installs ({@link dev.operatorsetup.target.OperatorTarget}) and how
 * their controllers get an AWS identity ({@link dev.operatorsetup.target.IdentityMode}).
 */
package dev.operatorsetup.target;
