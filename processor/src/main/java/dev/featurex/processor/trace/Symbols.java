package dev.featurex.processor.trace;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.Tree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Name and member resolution without javac's attribution (method bodies are not attributed while
 * processors run): simple type names through the compilation unit's imports, fields and methods
 * through {@link Elements}, overloads by the tracer's own value types.
 */
public final class Symbols {

  final Elements elements;
  final Types types;

  /** The members each type declares, by simple name. */
  private final Map<TypeElement, Map<String, List<Element>>> members = new HashMap<>();

  /** The members of each type and its supertypes, by simple name: looked up once each. */
  private final Map<TypeElement, Map<String, List<Element>>> inherited = new HashMap<>();

  private record TypeName(String name, TypeElement context, CompilationUnitTree unit) {}

  /**
   * Simple type names resolved so far. Only found types are kept: a name not found now may be a
   * class generated in a later round.
   */
  private final Map<TypeName, TypeElement> resolved = new HashMap<>();

  Symbols(Elements elements, Types types) {
    this.elements = elements;
    this.types = types;
  }

  TypeElement type(String qualifiedName) {
    return elements.getTypeElement(qualifiedName);
  }

  /** Resolves a simple type name seen in {@code unit}, inside {@code context}; null if none. */
  TypeElement resolveType(String name, TypeElement context, CompilationUnitTree unit) {
    TypeName key = new TypeName(name, context, unit);
    TypeElement known = resolved.get(key);
    if (known == null) {
      known = resolve(name, context, unit);
      if (known != null) {
        resolved.put(key, known);
      }
    }
    return known;
  }

  private TypeElement resolve(String name, TypeElement context, CompilationUnitTree unit) {
    for (Element e = context; e != null; e = e.getEnclosingElement()) {
      if (e instanceof TypeElement t) {
        TypeElement member = memberType(t, name);
        if (member != null) {
          return member;
        }
        if (t.getSimpleName().contentEquals(name)) {
          return t;
        }
      }
    }
    List<String> onDemand = new ArrayList<>();
    for (ImportTree imp : unit.getImports()) {
      if (imp.isStatic()) {
        continue;
      }
      String text = imp.getQualifiedIdentifier().toString();
      if (text.endsWith("." + name)) {
        TypeElement t = type(text);
        if (t != null) {
          return t;
        }
      } else if (text.endsWith(".*")) {
        onDemand.add(text.substring(0, text.length() - 2));
      }
    }
    String pkg = unit.getPackageName() == null ? "" : unit.getPackageName().toString();
    TypeElement same = type(pkg.isEmpty() ? name : pkg + "." + name);
    if (same != null) {
      return same;
    }
    for (String prefix : onDemand) {
      TypeElement t = type(prefix + "." + name);
      if (t != null) {
        return t;
      }
    }
    TypeElement lang = type("java.lang." + name);
    if (lang != null) {
      return lang;
    }
    return type(name);
  }

  /**
   * The members named {@code name} of {@code owner} and its supertypes, the class's own first.
   * Walks the hierarchy itself: javac's {@code getAllMembers} filters overrides pairwise, which
   * costs seconds on the presets' {@code torch} class (thousands of methods).
   */
  private List<Element> members(TypeElement owner, String name) {
    return inherited
        .computeIfAbsent(owner, t -> new HashMap<>())
        .computeIfAbsent(name, n -> List.copyOf(walk(owner, n)));
  }

  private List<Element> walk(TypeElement owner, String name) {
    List<Element> found = new ArrayList<>();
    java.util.Set<TypeElement> seen = new java.util.HashSet<>();
    java.util.ArrayDeque<TypeElement> queue = new java.util.ArrayDeque<>();
    queue.add(owner);
    while (!queue.isEmpty()) {
      TypeElement type = queue.poll();
      if (!seen.add(type)) {
        continue;
      }
      found.addAll(declared(type).getOrDefault(name, List.of()));
      TypeElement parent = asTypeElement(type.getSuperclass());
      if (parent != null) {
        queue.add(parent);
      }
      for (TypeMirror i : type.getInterfaces()) {
        TypeElement e = asTypeElement(i);
        if (e != null) {
          queue.add(e);
        }
      }
    }
    return found;
  }

  private Map<String, List<Element>> declared(TypeElement type) {
    return members.computeIfAbsent(
        type,
        t -> {
          Map<String, List<Element>> byName = new HashMap<>();
          for (Element e : t.getEnclosedElements()) {
            byName.computeIfAbsent(e.getSimpleName().toString(), k -> new ArrayList<>()).add(e);
          }
          return byName;
        });
  }

  /** A nested type of {@code owner} or its supertypes named {@code name}. */
  TypeElement memberType(TypeElement owner, String name) {
    for (TypeElement t : ElementFilter.typesIn(members(owner, name))) {
      return t;
    }
    return null;
  }

  /** Resolves a qualified name ({@code a.b.C} or {@code Outer.Inner}) used as a type. */
  TypeElement resolveQualified(
      MemberSelectTree select, TypeElement context, CompilationUnitTree unit) {
    String text = select.toString();
    TypeElement direct = type(text);
    if (direct != null) {
      return direct;
    }
    Tree owner = select.getExpression();
    TypeElement outer =
        owner instanceof MemberSelectTree m
            ? resolveQualified(m, context, unit)
            : resolveType(owner.toString(), context, unit);
    return outer == null ? null : memberType(outer, select.getIdentifier().toString());
  }

  /** Whether a package of this name exists (so {@code a.b} in {@code a.b.C} is not a value). */
  boolean isPackage(String name) {
    PackageElement p = elements.getPackageElement(name);
    return p != null;
  }

  /** A field named {@code name} of {@code owner} or its supertypes, or null. */
  VariableElement field(TypeElement owner, String name) {
    for (VariableElement f : ElementFilter.fieldsIn(members(owner, name))) {
      return f;
    }
    return null;
  }

  /** A statically imported field or the classes holding statically imported methods. */
  List<TypeElement> staticImportOwners(String member, CompilationUnitTree unit) {
    List<TypeElement> owners = new ArrayList<>();
    for (ImportTree imp : unit.getImports()) {
      if (!imp.isStatic()) {
        continue;
      }
      MemberSelectTree select = (MemberSelectTree) imp.getQualifiedIdentifier();
      String id = select.getIdentifier().toString();
      if (id.equals("*") || id.equals(member)) {
        TypeElement owner = type(select.getExpression().toString());
        if (owner != null) {
          owners.add(owner);
        }
      }
    }
    return owners;
  }

  /** All methods named {@code name} that {@code owner} has, declared or inherited. */
  List<ExecutableElement> methods(TypeElement owner, String name) {
    return ElementFilter.methodsIn(members(owner, name));
  }

  List<ExecutableElement> constructors(TypeElement owner) {
    return ElementFilter.constructorsIn(owner.getEnclosedElements());
  }

  /**
   * The overload of {@code candidates} that fits {@code args} best, by the tracer's value types;
   * null when none fits. Ties go to the candidate declared first.
   */
  ExecutableElement choose(List<ExecutableElement> candidates, List<Value> args) {
    ExecutableElement best = null;
    int bestScore = Integer.MAX_VALUE;
    for (ExecutableElement m : candidates) {
      int score = fit(m, args);
      if (score >= 0 && score < bestScore) {
        best = m;
        bestScore = score;
      }
    }
    return best;
  }

  /** How well {@code args} fit {@code method}'s parameters: -1 when they do not, 0 when exactly. */
  private int fit(ExecutableElement method, List<Value> args) {
    List<? extends VariableElement> params = method.getParameters();
    int n = params.size();
    boolean varargs = method.isVarArgs();
    if (!varargs && args.size() != n) {
      return -1;
    }
    if (varargs && args.size() < n - 1) {
      return -1;
    }
    int score = 0;
    for (int i = 0; i < args.size(); i++) {
      TypeMirror param;
      if (varargs && i >= n - 1) {
        TypeMirror last = params.get(n - 1).asType();
        boolean direct = args.size() == n && i == n - 1 && accepts(last, args.get(i)) >= 0;
        param = direct ? last : ((ArrayType) last).getComponentType();
        score += direct ? 0 : 1;
      } else {
        param = params.get(i).asType();
      }
      int s = accepts(param, args.get(i));
      if (s < 0) {
        return -1;
      }
      score += s;
    }
    return score;
  }

  /**
   * How well {@code param} accepts {@code value}: -1 not at all, 0 exactly, more for conversions.
   */
  int accepts(TypeMirror param, Value value) {
    TypeMirror erased = types.erasure(param);
    if (value instanceof Value.Known k) {
      return acceptsKnown(erased, k.value());
    }
    if (value instanceof FunctionValue) {
      // A lambda or method reference fits any functional interface; javac checks the rest.
      TypeElement target = asTypeElement(erased);
      return target != null && target.getKind() == ElementKind.INTERFACE ? 2 : -1;
    }
    TypeMirror actual = value.staticType(this);
    if (actual == null) {
      return erased.getKind() == TypeKind.DECLARED ? 2 : -1;
    }
    TypeMirror a = types.erasure(actual);
    if (types.isSameType(a, erased)) {
      return 0;
    }
    if (a.getKind().isPrimitive() && erased.getKind().isPrimitive()) {
      return types.isAssignable(a, erased) ? 1 : -1;
    }
    return types.isAssignable(a, erased) ? 1 : -1;
  }

  private int acceptsKnown(TypeMirror param, Object value) {
    if (value == null) {
      return param.getKind().isPrimitive() ? -1 : 1;
    }
    TypeMirror actual = knownType(value);
    if (types.isSameType(actual, param)) {
      return 0;
    }
    if (param.getKind().isPrimitive()) {
      return actual.getKind().isPrimitive() && types.isAssignable(actual, param) ? 1 : -1;
    }
    TypeMirror boxed =
        actual.getKind().isPrimitive()
            ? types.boxedClass((javax.lang.model.type.PrimitiveType) actual).asType()
            : actual;
    return types.isAssignable(boxed, param) ? 2 : -1;
  }

  TypeMirror knownType(Object value) {
    if (value instanceof Integer) {
      return types.getPrimitiveType(TypeKind.INT);
    } else if (value instanceof Long) {
      return types.getPrimitiveType(TypeKind.LONG);
    } else if (value instanceof Double) {
      return types.getPrimitiveType(TypeKind.DOUBLE);
    } else if (value instanceof Float) {
      return types.getPrimitiveType(TypeKind.FLOAT);
    } else if (value instanceof Boolean) {
      return types.getPrimitiveType(TypeKind.BOOLEAN);
    } else if (value instanceof Character) {
      return types.getPrimitiveType(TypeKind.CHAR);
    } else if (value instanceof Short) {
      return types.getPrimitiveType(TypeKind.SHORT);
    } else if (value instanceof Byte) {
      return types.getPrimitiveType(TypeKind.BYTE);
    }
    // A JDK value (a stream): its first public class or interface, as its methods are called.
    for (Class<?> c = value.getClass(); c != null; c = c.getSuperclass()) {
      if (java.lang.reflect.Modifier.isPublic(c.getModifiers()) && c.getCanonicalName() != null) {
        TypeElement t = type(c.getCanonicalName());
        if (t != null && c != Object.class) {
          return types.erasure(t.asType());
        }
      }
      for (Class<?> i : c.getInterfaces()) {
        TypeElement t =
            java.lang.reflect.Modifier.isPublic(i.getModifiers())
                ? type(i.getCanonicalName())
                : null;
        if (t != null) {
          return types.erasure(t.asType());
        }
      }
    }
    return types.erasure(type("java.lang.Object").asType());
  }

  boolean isSubtype(TypeMirror type, TypeElement of) {
    return of != null && types.isSubtype(types.erasure(type), types.erasure(of.asType()));
  }

  static boolean isStatic(Element e) {
    return e.getModifiers().contains(Modifier.STATIC);
  }

  static TypeElement owner(Element e) {
    Element owner = e.getEnclosingElement();
    while (owner != null && !(owner instanceof TypeElement)) {
      owner = owner.getEnclosingElement();
    }
    return (TypeElement) owner;
  }

  static TypeElement asTypeElement(TypeMirror type) {
    return type instanceof DeclaredType d && d.asElement().getKind() != ElementKind.TYPE_PARAMETER
        ? (TypeElement) d.asElement()
        : null;
  }
}
