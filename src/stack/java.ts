import { readdir, readFile, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { findOnPath } from './run.js';

const JVM_ROOT = '/usr/lib/jvm';

/**
 * A Java 17 home for OpenSearch, which is validated on 17: JAVA17_HOME,
 * else the `java` on PATH if it is 17, else a 17 under /usr/lib/jvm.
 */
export async function findJava17Home(): Promise<string> {
  const explicit = process.env.JAVA17_HOME?.trim();
  if (explicit) {
    if (await isJava17(explicit)) return explicit;
    throw new Error(`JAVA17_HOME=${explicit} is not a Java 17 installation (no matching "release" file)`);
  }
  for (const home of await candidates()) {
    if (await isJava17(home)) return home;
  }
  throw new Error(`No Java 17 found: set JAVA17_HOME, or install one (Debian: apt-get install openjdk-17-jdk-headless)`);
}

async function candidates(): Promise<string[]> {
  const homes: string[] = [];
  const onPath = await findOnPath('java');
  // /usr/bin/java is usually a chain of symlinks ending in <home>/bin/java.
  if (onPath) homes.push(dirname(dirname(await realpath(onPath))));
  const installed = await readdir(JVM_ROOT).catch(() => [] as string[]);
  homes.push(...installed.sort().map((name) => join(JVM_ROOT, name)));
  return homes;
}

/** Every JDK/JRE since 9 describes itself in <home>/release; no need to start a JVM. */
async function isJava17(home: string): Promise<boolean> {
  try {
    const release = await readFile(join(home, 'release'), 'utf8');
    return /^JAVA_VERSION="17[."]/m.test(release) && (await findJavaIn(home));
  } catch {
    return false;
  }
}

async function findJavaIn(home: string): Promise<boolean> {
  return realpath(join(home, 'bin', 'java')).then(
    () => true,
    () => false,
  );
}
