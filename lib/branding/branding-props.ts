// GET /gen/branding.props (Comet's ServerMetaBrandingProperties): what the web interface and the client
// show before anyone signs in, for the host name the request came on.
import { unauthenticatedDownloadsAllowed } from '../auth/public-download';
import { publicBranding } from './public-branding';

export async function brandingProps({ host }: { host: string }): Promise<Record<string, unknown>> {
  const b = await publicBranding(host);
  return {
    BrandName: b.brandName,
    ProductName: b.productName,
    HasImage: b.logo !== null,
    ImageEtag: b.logo?.hash ?? '',
    TopColor: b.topColor,
    AccentColor: b.accentColor,
    HideNewsArea: b.hideNewsArea,
    AllowUnauthenticatedDownloads: await unauthenticatedDownloadsAllowed(),
    AllowAuthenticatedDownloads: true,
    PruneLogsAfterDays: 0,
    ExpiredInSeconds: 0,
    ServerIsEmpty: false,
    CloudStorageName: b.cloudStorageName,
    AdminHidePreBuiltClientOption: b.adminHidePreBuiltClientOption,
    AdminHideBrandedCloudStorage: b.adminHideBrandedCloudStorage,
  };
}
