# images.bash - helpers of unpack.bats: the layers of an OCI layout, unpacktool over them, umoci's reference.
# Must never write outside the directories the caller names (all under $BATS_TEST_TMPDIR).

IMAGES_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
UNPACKTOOL=${UNPACKTOOL:-$IMAGES_LIB/../../../build/tests/images/unpacktool}

# image_layers LAYOUT: "FLAG BLOBPATH" per layer, base first (FLAG: --gzip, --zstd or "--plain")
image_layers() {
	local layout=$1 manifest
	manifest=$(jq -r '.manifests[0].digest' "$layout/index.json")
	jq -r '.layers[] | [.mediaType, .digest] | @tsv' "$layout/blobs/sha256/${manifest#sha256:}" |
		while IFS=$'\t' read -r mt digest; do
			case $mt in
			*+gzip | *.tar.gzip) flag=--gzip ;;
			*+zstd) flag=--zstd ;;
			*) flag=--plain ;;
			esac
			echo "$flag $layout/blobs/sha256/${digest#sha256:}"
		done
}

# image_diff_ids LAYOUT: the config's rootfs.diff_ids, one a line
image_diff_ids() {
	local layout=$1 manifest config
	manifest=$(jq -r '.manifests[0].digest' "$layout/index.json")
	config=$(jq -r '.config.digest' "$layout/blobs/sha256/${manifest#sha256:}")
	jq -r '.rootfs.diff_ids[]' "$layout/blobs/sha256/${config#sha256:}"
}

# unpack_layer FLAG BLOB DIR [more unpacktool flags]: prints unpacktool's line
unpack_layer() {
	local flag=$1 blob=$2 dir=$3
	shift 3
	[ "$flag" = --plain ] && flag=
	"$UNPACKTOOL" "$@" $flag "$blob" "$dir"
}
