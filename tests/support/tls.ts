/**
 * A private CA and a server certificate it signed for 127.0.0.1, made with
 * openssl in `dir`: what a team with its own CA hands to `serve` (or a proxy)
 * and to collaborators (`EPIC_EVENTS_CA_CERT`).
 * @module
 */
import { join } from "node:path";

/** PEM files, by path. */
export interface PrivateCa {
  /** The CA's certificate (what clients trust). */
  ca: string;
  /** The server's certificate, for 127.0.0.1. */
  cert: string;
  /** The server's private key. */
  key: string;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", { args, cwd: dir, stdout: "null", stderr: "piped" }).output();
  if (!out.success) throw new Error(`openssl ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
}

/** Makes a CA and a server certificate for IP 127.0.0.1 in `dir` (valid 2 days). */
export async function privateCa(dir: string): Promise<PrivateCa> {
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await openssl(dir, [
    "req",
    "-x509",
    ...ec,
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "2",
    "-subj",
    "/CN=Test CA",
  ]);
  await openssl(dir, ["req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"]);
  await Deno.writeTextFile(
    join(dir, "ext.cnf"),
    "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
  );
  await openssl(dir, [
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.pem",
    "-days",
    "2",
    "-extfile",
    "ext.cnf",
  ]);
  return { ca: join(dir, "ca.pem"), cert: join(dir, "server.pem"), key: join(dir, "server.key") };
}
