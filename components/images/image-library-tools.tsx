import { Card } from "../ui/card";
import { DebianBuildPanel } from "./debian-build-panel";
import { ImagePathImport } from "./image-path-import";
import { ImageUpload } from "./image-upload";

/** Adding images: import a host file, upload one, or build Debian. The daemon allows admins only. */
export function ImageLibraryTools({ importDir, uploadMaxBytes }: { importDir: string; uploadMaxBytes: number }) {
  return (
    <>
      <Card title="Import an image" bodyClassName="flex flex-col gap-6 p-4">
        <ImagePathImport importDir={importDir} />
        <div className="border-t border-slate-100" />
        <ImageUpload maxBytes={uploadMaxBytes} />
      </Card>
      <Card title="Build a Debian image" bodyClassName="p-4">
        <DebianBuildPanel />
      </Card>
    </>
  );
}
