package dev.certplane.acme.server.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a controller parameter that {@link SignedRequestResolver} fills after the JWS checks pass. */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@interface Signed {

    KeyMode value() default KeyMode.KID;
}
