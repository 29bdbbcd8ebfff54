package dev.slipway.store.audit;

import dev.slipway.api.team.AuditChain;
import dev.slipway.api.team.CheckpointView;
import dev.slipway.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's Ed25519 key for audit checkpoints, kept in one PEM file: the private key (PKCS#8,
 * {@code PRIVATE KEY}) and its public key (X.509, {@code PUBLIC KEY}; the JDK cannot derive one from
 * the other). {@link #open} loads the file, or creates it (mode 0600, in a directory created 0700)
 * when there is none; a key file that others may read or write is refused, since whoever reads it
 * can sign checkpoints over a forged trail.
 */
public final class AuditSigner {
  private static final String ALGORITHM = "Ed25519";
  private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
  private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

  private final Path file;
  private final PrivateKey privateKey;
  private final String publicKey;

  private AuditSigner(Path file, PrivateKey privateKey, PublicKey publicKey) {
    this.file = file;
    this.privateKey = privateKey;
    this.publicKey = Base64.getEncoder().encodeToString(publicKey.getEncoded());
  }

  /** Loads the key pair in {@code keyFile}, or creates one there when the file does not exist. */
  public static AuditSigner open(Path keyFile) throws StoreException {
    Path file = keyFile.toAbsolutePath().normalize();
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      create(file);
    }
    return load(file);
  }

  /** The key file. */
  public Path file() {
    return file;
  }

  /** The public key, base64 of its X.509 encoding (as in {@link CheckpointView#publicKey()}). */
  public String publicKey() {
    return publicKey;
  }

  /** The base64 Ed25519 signature of {@code text} (UTF-8). */
  public String sign(String text) {
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(privateKey);
      signature.update(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK 15+ signs with Ed25519, and the key was checked when loaded", e);
    }
  }

  /** A checkpoint over {@code count} entries ending in {@code headHash}, signed now. */
  public CheckpointView sign(long count, String headHash, Instant at) {
    Instant stamped = AuditChain.stamp(at);
    return new CheckpointView(count, headHash, stamped, publicKey,
        sign(AuditChain.checkpointText(count, headHash, stamped)));
  }

  private static void create(Path file) throws StoreException {
    String operation = "create the audit signing key " + file;
    KeyPair pair;
    try {
      pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK 15+ has Ed25519", e);
    }
    String pem = pem("PRIVATE KEY", pair.getPrivate().getEncoded()) + pem("PUBLIC KEY", pair.getPublic().getEncoded());
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    Path dir = file.getParent();
    Path temp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      if (posix) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createDirectories(dir);
        Files.createFile(temp);
      }
      Files.writeString(temp, pem);
      // A hard link appears whole or not at all, and never replaces a key another process made first.
      Files.createLink(file, temp);
    } catch (FileAlreadyExistsException e) {
      // Another server process created it a moment ago: load that one.
    } catch (IOException e) {
      throw new StoreException(operation, "cannot write the key (" + e + ")",
          "check that " + dir + " is writable, or point the server at another data directory", e);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // Only a stray temporary file is left; the key itself is whole.
      }
    }
  }

  private static AuditSigner load(Path file) throws StoreException {
    String operation = "load the audit signing key " + file;
    String text;
    try {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
        open.addAll(permissions);
        open.retainAll(OTHERS);
        if (!open.isEmpty()) {
          throw new StoreException(operation, "the key file " + file + " is open to others (mode "
              + PosixFilePermissions.toString(permissions) + "), so anyone who read it can sign checkpoints over a forged trail",
              "run chmod 600 " + file + "; if others may have read it, move it aside so the server creates a new key"
                  + " (keep the old public key to verify older checkpoints)");
        }
      }
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new StoreException(operation, "cannot read the key file (" + e + ")", "check that " + file + " is readable", e);
    }
    byte[] privateDer = null;
    byte[] publicDer = null;
    Matcher m = BLOCK.matcher(text);
    try {
      while (m.find()) {
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        switch (m.group(1)) {
          case "PRIVATE KEY" -> privateDer = der;
          case "PUBLIC KEY" -> publicDer = der;
          default -> { }
        }
      }
    } catch (IllegalArgumentException e) {
      throw broken(operation, file, "its base64 is damaged", e);
    }
    if (privateDer == null || publicDer == null) {
      throw broken(operation, file, "it lacks a " + (privateDer == null ? "PRIVATE KEY" : "PUBLIC KEY") + " block", null);
    }
    try {
      KeyFactory factory = KeyFactory.getInstance(ALGORITHM);
      PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(privateDer));
      PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(publicDer));
      AuditSigner signer = new AuditSigner(file, privateKey, publicKey);
      // The two halves are stored apart in the file; a signature shows they still belong together.
      String probe = "slipway audit key check";
      Signature verify = Signature.getInstance(ALGORITHM);
      verify.initVerify(publicKey);
      verify.update(probe.getBytes(StandardCharsets.UTF_8));
      if (!verify.verify(Base64.getDecoder().decode(signer.sign(probe)))) {
        throw broken(operation, file, "its public key does not belong to its private key", null);
      }
      return signer;
    } catch (GeneralSecurityException e) {
      throw broken(operation, file, "it holds no Ed25519 key pair (" + e.getMessage() + ")", e);
    }
  }

  private static StoreException broken(String operation, Path file, String why, Exception cause) {
    return new StoreException(operation, "the key file " + file + " is not an audit signing key: " + why,
        "restore it from a backup, or move it aside so the server creates a new key (older checkpoints then"
            + " verify only with the old public key)", cause);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
