/**
 * A private CA and a server certificate signed by it, made with `openssl`, for
 * the HTTPS tests (`serve --tls-cert`, `EPIC_EVENTS_CA_CERT`, `login --ca-cert`).
 * @module
 */

/** The files of a test CA, in the folder given to {@link makeTestCa}. */
export interface TestCa {
  /** The CA's certificate (PEM): what a collaborator trusts. */
  ca: string;
  /** The server's certificate for `127.0.0.1`, signed by the CA (PEM). */
  cert: string;
  /** The server certificate's private key (PEM). */
  key: string;
  /** A file that is not a PEM certificate. */
  notPem: string;
}

/** Makes a CA valid 2 days and a certificate for IP 127.0.0.1 signed by it, in `dir` (created). */
export async function makeTestCa(dir: string): Promise<TestCa> {
  await Deno.mkdir(dir, { recursive: true });
  const openssl = async (args: string[]) => {
    const out = await new Deno.Command("openssl", { args, cwd: dir, stdout: "null", stderr: "piped" }).output();
    if (!out.success) throw new Error(`openssl ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  };
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await openssl([
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
    "/CN=Epic Test CA",
  ]);
  await openssl(["req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"]);
  await Deno.writeTextFile(
    `${dir}/ext.cnf`,
    "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
  );
  await openssl([
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
  return { ca: `${dir}/ca.pem`, cert: `${dir}/server.pem`, key: `${dir}/server.key`, notPem: `${dir}/ext.cnf` };
}
