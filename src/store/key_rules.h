// Names in the object store: S3's rules for bucket names and object keys, plus what a key must look like to be
// stored as a path under a directory (store/fs_object_store.h). Shared by every ObjectStore implementation so
// the local store and S3 refuse the same inputs with the same messages.
#pragma once

#include <string_view>

#include "common/status.h"

namespace brewline::store {

inline constexpr size_t kMaxKeyBytes = 1024;

// S3 bucket naming: 3–63 characters of [a-z0-9.-], starting and ending with a letter or digit, no "..".
Status ValidateBucketName(std::string_view bucket);
// S3 key rules: 1–1024 bytes of valid UTF-8, no NUL. We also refuse keys that would escape or alias a directory:
// a leading '/', and any "." or ".." segment. InvalidArgument with a message naming the problem.
Status ValidateKey(std::string_view key);
// What the filesystem store additionally needs: no empty segment ("a//b", a trailing '/') and no segment longer
// than 255 bytes (NAME_MAX).
Status ValidateKeyForFilesystem(std::string_view key);
bool IsValidUtf8(std::string_view s);

}  // namespace brewline::store
