// The tablet checks the software it runs against the public log, as far as a page can: the asset
// manifest the page declares (<meta name="asset-manifest">) must be a logged `asset-manifest` entry
// (inclusion proof against a checkpoint signed by the pinned log key — and cosigned by the
// supervisors' witness where the deployment requires it), and the integrity value this page loaded
// its own script with must be that manifest's (the browser has already refused a script that does
// not match it: W3C SRI). The manifest's fingerprint is shown next to the ballot key's, to be
// compared with the meeting screen: a tablet handed another build shows another fingerprint.
import { ASSET_MANIFEST_TYPE, integrityOf, manifestFile, manifestFingerprint, type AssetManifest } from '../../assets/manifest.js';
import { VerifyError, verifyEntry } from './logverify.js';

export interface CheckedBuild {
  index: number;
  fingerprint: string;
}

/** The page's script and stylesheet tags naming files of the build. */
function loadedAssets(): { url: string; integrity: string }[] {
  const tags = [...document.querySelectorAll<HTMLScriptElement | HTMLLinkElement>('script[src^="/assets/"], link[rel="stylesheet"][href^="/assets/"]')];
  return tags.map((t) => ({ url: t instanceof HTMLScriptElement ? t.getAttribute('src')! : t.getAttribute('href')!, integrity: t.integrity }));
}

export async function checkBuild(opts: { logKey: string; prefix: string; witnessKey?: string }): Promise<CheckedBuild> {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="asset-manifest"]');
  const index = meta ? Number(meta.content) : NaN;
  if (!meta || !Number.isSafeInteger(index) || index < 0) throw new VerifyError('buildNotLogged', 'the page declares no asset manifest');
  const v = await verifyEntry({ ...opts, index });
  if (v.entry.type !== ASSET_MANIFEST_TYPE || v.entry.doc !== meta.dataset.hash || !v.document) throw new VerifyError('buildNotLogged', `entry ${index}`);
  const manifest = v.document as AssetManifest;
  for (const a of loadedAssets()) {
    const f = Array.isArray(manifest.files) ? manifestFile(manifest, a.url) : undefined;
    if (!f || a.integrity !== integrityOf(f.sha256)) throw new VerifyError('buildNotLogged', a.url);
  }
  return { index, fingerprint: manifestFingerprint(v.entry.doc) };
}
