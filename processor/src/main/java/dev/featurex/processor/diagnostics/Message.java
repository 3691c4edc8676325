package dev.featurex.processor.diagnostics;

import javax.tools.Diagnostic;

/**
 * Every message the processor prints, with its kind, in one place (MapStruct style). Texts quote
 * user names, say the rule, and offer the way out.
 */
public enum Message {
  // Each constant's text is its documentation.
  // Annotation use.
  NOT_A_MODULE(
      Diagnostic.Kind.ERROR,
      "@%s applies to subclasses of org.bytedeco.pytorch.Module; %s is not one"),
  NO_PRESETS(
      Diagnostic.Kind.ERROR,
      "org.bytedeco.pytorch.Module is not on the classpath; add org.bytedeco:pytorch to the dependencies"),
  FACTORY_MISSING(
      Diagnostic.Kind.ERROR,
      "%s has no method \"%s\"; factory must name a static method without parameters that returns the model"),
  FACTORY_NOT_STATIC(
      Diagnostic.Kind.ERROR, "factory \"%s\" of %s must be static and take no parameters"),
  NO_CONSTRUCTOR(
      Diagnostic.Kind.ERROR,
      "%s has no constructor without parameters to trace; add one, or name a static factory method (factory = \"...\")"),
  LEAF_MODULE_UNRESOLVED(
      Diagnostic.Kind.ERROR,
      "leafModules names %s, which javac cannot resolve here; a class nested in %s is not in scope in"
          + " the annotations of its outer class: qualify it (Outer.Inner.class)"),
  MODEL_NOT_ACCESSIBLE(
      Diagnostic.Kind.ERROR,
      "%s is private; the classes featurex generates live in its package and must use it: make it"
          + " (and the classes around it) package-private or public"),
  LEAF_NOT_ACCESSIBLE(
      Diagnostic.Kind.ERROR,
      "the leaf module %s, or its forward, cannot be reached from package %s, where featurex"
          + " generates the code that calls it: make them package-private (same package) or public"),
  FORWARD_WITHOUT_SOURCE(
      Diagnostic.Kind.ERROR,
      "%s inherits forward from %s, whose source is not in this compilation; compile it with its"
          + " source, or make %s a leaf (@LeafModule)"),
  PATH_TOO_LONG(
      Diagnostic.Kind.ERROR,
      "the module \"%s...\" has a qualified name of %,d characters; featurex handles names up to"
          + " %,d characters: register it under a shorter name"),
  NO_TRACED_METHOD(
      Diagnostic.Kind.ERROR,
      "%s has no method %s to trace; forward = \"...\" names the model's method that computes its"
          + " output from tensors"),
  NO_FITTING_METHOD(
      Diagnostic.Kind.ERROR,
      "no %s of %s takes only tensors and the parameters fixed by concreteArgs %s; it has %s: fix"
          + " each other parameter with concreteArgs = \"name=value\""),
  MALFORMED_CONCRETE_ARG(
      Diagnostic.Kind.ERROR, "concreteArgs entry \"%s\" is malformed; write \"parameter=value\""),
  BAD_CONCRETE_VALUE(
      Diagnostic.Kind.ERROR,
      "concreteArgs value \"%s\" for parameter %s is not a %s; write a literal of its type (true,"
          + " 3, 0.5, a string, or an enum constant's name)"),
  BAD_LEAF_FUNCTION(
      Diagnostic.Kind.ERROR,
      "leafFunctions entry \"%s\" names no static method; write \"package.Class.method\""),
  NO_FORWARD(
      Diagnostic.Kind.ERROR,
      "%s has no forward method to trace; declare forward(Tensor ...) in the class"),
  FACTORY_RETURNS_OTHER(
      Diagnostic.Kind.ERROR, "%s returns a %s, not a %s; a factory must build the annotated model"),
  // Tracing.
  TENSOR_CONDITION(
      Diagnostic.Kind.ERROR,
      "%s depends on a tensor value, which is not known when tracing; make the module a leaf (@LeafModule) or take the decision out of forward"),
  UNREGISTERED_MODULE(
      Diagnostic.Kind.ERROR,
      "module %s is used in forward but was never registered (register_module, or push_back into a registered container); register it"),
  UNRESOLVED_CALL(
      Diagnostic.Kind.ERROR,
      "cannot follow the call %s: %s (the tracer follows modules, Tensor methods, torch.* functions and methods whose source is in the compilation); %s"),
  UNSUPPORTED(Diagnostic.Kind.ERROR, "the tracer does not follow %s; %s"),
  ENCLOSING_INSTANCE(
      Diagnostic.Kind.ERROR,
      "%s reads the enclosing instance (%s.this) of the inner class %s, which the tracer cannot"
          + " see (javac passes it in a hidden field); pass the value to %s's constructor and keep it"
          + " in a field of %s, or make %s a static nested class"),
  MUTABLE_STATIC(
      Diagnostic.Kind.ERROR,
      "forward reads the static field %s, which is not final: the graph would keep the value it has"
          + " at compile time (%s) and nothing checks it when the model runs; make it static final,"
          + " or an instance field of the model (the runtime checks the values forward reads from"
          + " the model's fields)"),
  UNCHECKED_FIELD(
      Diagnostic.Kind.ERROR,
      "forward reads the field %s of %s, an object made before forward that no field of the model"
          + " reaches (a static field holds it?); the field is not final, so the graph would keep"
          + " the value it has at compile time (%s) and nothing checks it when the model runs; make"
          + " the field final, or keep the object in a field of the model (the runtime checks the"
          + " values forward reads from the model's fields)"),
  STEP_LIMIT(
      Diagnostic.Kind.ERROR,
      "tracing stopped after %,d steps: a loop that does not end? Loops must end on values known when tracing (sizes, counts), not on tensors"),
  DEPTH_LIMIT(
      Diagnostic.Kind.ERROR,
      "tracing stopped at %d nested calls: unbounded recursion? Make the recursive module a leaf (@LeafModule)"),
  STACK_OVERFLOW(
      Diagnostic.Kind.ERROR,
      "tracing %s ran out of stack (very deeply nested calls or expressions); make the deepest modules leaves (@LeafModule), or give javac a larger stack (-J-Xss16m)"),
  THROWS(
      Diagnostic.Kind.ERROR,
      "%s throws while being traced (%s); the configuration cannot be built"),
  UNKNOWN_VALUE(
      Diagnostic.Kind.ERROR,
      "%s is not known when tracing (%s); the tracer needs it to decide what runs"),
  FORWARD_RESULT(
      Diagnostic.Kind.ERROR,
      "forward must return a tensor computed from its inputs, or a record, object or list of such tensors; it returns %s"),
  MODULE_REGISTRATION(Diagnostic.Kind.ERROR, "register_module: %s"),
  NO_SOURCE_LEAF(
      Diagnostic.Kind.NOTE, "%s is a leaf module: its source is not in this compilation"),
  GRAPH_DIFFERENCE(
      Diagnostic.Kind.WARNING, "%s: %s (%s; suppressDiffWarning = true silences this)"),
  // Return nodes.
  NODE_NOT_PRESENT(
      Diagnostic.Kind.ERROR,
      "@ExtractFeatures node \"%s\" is not present in %s%s (list the nodes with @Traceable and FeatureExtraction.getGraphNodeNames)"),
  NODE_TAKEN(
      Diagnostic.Kind.ERROR,
      "@ExtractFeatures node \"%s\" selects %s, which \"%s\" already selects; each node answers one request"),
  NOT_A_TENSOR(
      Diagnostic.Kind.ERROR,
      "@ExtractFeatures node \"%s\" selects \"%s\", whose value is a %s, not a tensor; features are tensors, so select a tensor node"),
  NODE_TOO_COSTLY(Diagnostic.Kind.ERROR, "@ExtractFeatures %s"),
  RESERVED_KEY(
      Diagnostic.Kind.ERROR,
      "@ExtractFeatures key \"%s\" would name the record component \"%s\", which the record's own"
          + " methods or Object's already use; write \"node:key\" with another key, such as \"%s\""),
  TOO_MANY_FEATURES(
      Diagnostic.Kind.ERROR,
      "@ExtractFeatures asks for %d features; one record holds at most %d (a Java constructor's"
          + " limit): split them over several @ExtractFeatures with different names"),
  MALFORMED_NODE(
      Diagnostic.Kind.ERROR,
      "@ExtractFeatures entry \"%s\" is malformed: %s; write \"node\" or \"node:key\""),
  DUPLICATE_KEY(
      Diagnostic.Kind.ERROR,
      "@ExtractFeatures key \"%s\" is used twice; keys name the record's components and must be unique"),
  BAD_KEY(
      Diagnostic.Kind.ERROR,
      "@ExtractFeatures key \"%s\" is not a Java identifier%s; write \"node:key\" with a key such as \"%s\""),
  BOTH_NODE_LISTS(
      Diagnostic.Kind.ERROR,
      "@ExtractFeatures takes either value, or train and eval together, not both"),
  ONE_MODE_ONLY(
      Diagnostic.Kind.ERROR,
      "@ExtractFeatures: if any of train and eval are specified, then both should be specified"),
  KEYS_DIFFER(
      Diagnostic.Kind.ERROR,
      "@ExtractFeatures train and eval must return the same keys (one record holds both); train has %s, eval has %s"),
  NO_NODES(
      Diagnostic.Kind.ERROR,
      "@ExtractFeatures names no return nodes; give value = {\"node\", ...}, or train and eval"),
  BAD_NAME(
      Diagnostic.Kind.ERROR,
      "@ExtractFeatures name \"%s\" is appended to %s to name the generated classes, so it may hold"
          + " only letters, digits and _; write name = \"%s\""),
  DUPLICATE_NAME(
      Diagnostic.Kind.ERROR,
      "%s has two @ExtractFeatures with name \"%s\"; give each a different name"),
  GENERATED_NAME_TAKEN(
      Diagnostic.Kind.ERROR,
      "featurex would generate %s, but that name is taken by %s; rename one of the classes, or give"
          + " @ExtractFeatures another name"),
  TIMING(Diagnostic.Kind.NOTE, "featurex %s: %s"),
  INTERNAL(
      Diagnostic.Kind.ERROR,
      "featurex failed on %s: %s; please report this with the model's source");

  private final Diagnostic.Kind kind;
  private final String format;

  Message(Diagnostic.Kind kind, String format) {
    this.kind = kind;
    this.format = format;
  }

  /** Error, warning or note. */
  public Diagnostic.Kind kind() {
    return kind;
  }

  /** The text with {@code args} in place. */
  public String format(Object... args) {
    return String.format(format, args);
  }
}
