package dev.operatorsetup.testkit.plane;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against the local control plane, which {@link ControlPlaneExtension} finds or
 * starts and injects as a {@link ControlPlane} parameter. Without one the class fails when {@code
 * CI=true} and is skipped, with the reason printed, otherwise.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ControlPlaneExtension.class)
public @interface RequiresControlPlane {}
