package dev.featurex.runtime.execute;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.featurex.graph.ModuleTypes;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.junit.jupiter.api.Test;

/**
 * The processor writes a built-in module's type from its Java class ({@link
 * ModuleTypes#nativeName}); the runtime reads {@code name()} from the live module. Both must agree
 * for every module class the presets ship, or a model that uses it compiles and is then refused.
 */
class ModuleTypeNamesTest {

  /** Every {@code *Impl} subclass of {@code Module} in the presets' jar, sorted. */
  private static List<Class<? extends Module>> moduleClasses()
      throws IOException, URISyntaxException {
    Path jar = Path.of(Module.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<? extends Module>> classes = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (var e : Collections.list(file.entries())) {
        String name = e.getName();
        if (name.matches("org/bytedeco/pytorch/[A-Za-z0-9]+Impl\\.class")) {
          try {
            Class<?> c =
                Class.forName(
                    name.replace('/', '.').replace(".class", ""),
                    false,
                    Module.class.getClassLoader());
            if (Module.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())) {
              classes.add(c.asSubclass(Module.class));
            }
          } catch (ClassNotFoundException | LinkageError ignored) {
            // not loadable on this platform: not a module anyone can use here
          }
        }
      }
    }
    classes.sort((a, b) -> a.getName().compareTo(b.getName()));
    return classes;
  }

  /** A module of {@code type} built from small sizes, or null when it needs more than that. */
  private static Module build(Class<? extends Module> type) throws ReflectiveOperationException {
    for (Constructor<?> c : type.getConstructors()) {
      Class<?>[] params = c.getParameterTypes();
      if (params.length == 0 || (params.length >= 2 && allLong(params))) {
        return (Module) c.newInstance(longs(params.length));
      }
    }
    for (Constructor<?> c : type.getConstructors()) {
      Class<?>[] params = c.getParameterTypes();
      if (params.length == 1 && params[0].getSimpleName().endsWith("Options")) {
        for (Constructor<?> o : params[0].getConstructors()) {
          if (allLong(o.getParameterTypes())) {
            return (Module) c.newInstance(o.newInstance(longs(o.getParameterCount())));
          }
        }
      }
    }
    return null;
  }

  private static boolean allLong(Class<?>[] params) {
    return Arrays.stream(params).allMatch(p -> p == long.class);
  }

  private static Object[] longs(int n) {
    Object[] values = new Object[n];
    Arrays.fill(values, 4L);
    return values;
  }

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Test
  void processorAndRuntimeNameEveryBuiltInModuleAlike() throws Exception {
    List<String> checked = new ArrayList<>();
    try (PointerScope scope = new PointerScope()) {
      for (Class<? extends Module> type : moduleClasses()) {
        Module module = build(type);
        if (module == null) {
          continue;
        }
        String simple = type.getSimpleName();
        String live = module.name().getString();
        assertWithMessage("name() of %s", simple)
            .that(ModuleTypes.nativeName(simple))
            .isEqualTo(live);
        assertWithMessage("signature type of %s", simple)
            .that(ModuleTypes.signatureType(ModuleTypes.nativeName(simple)))
            .isEqualTo(ModuleTrees.typeOf(module));
        checked.add(simple);
      }
    }
    // Most module classes can be built from sizes alone; the rest need options objects of their
    // own.
    assertThat(checked.size()).isAtLeast(80);
    assertThat(checked).containsAtLeast("MultiheadAttentionImpl", "LinearImpl", "SequentialImpl");
  }

  @Test
  void aPlainModuleIsAJavaModule() {
    assertThat(ModuleTrees.typeOf(new Module())).isEqualTo(ModuleTypes.JAVA_MODULE);
  }
}
