import SvgIcon, { type SvgIconProps } from '@material-ui/core/SvgIcon';

/** The ECS drift page's icon: a warning sign, for the sidebar and the page header. */
export function EcsDriftIcon(props: SvgIconProps) {
  return (
    <SvgIcon {...props}>
      <path d="M1 21h22L12 2 1 21zm12-3h-2v-2h2v2zm0-4h-2v-4h2v4z" />
    </SvgIcon>
  );
}
