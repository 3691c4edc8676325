package dev.featurex.processor.model;

import javax.lang.model.element.TypeElement;

/**
 * An enum constant named in the annotation (a concrete argument of the traced method).
 *
 * @param type the enum
 * @param name the constant's name
 */
public record EnumConstant(TypeElement type, String name) {}
